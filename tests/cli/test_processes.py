"""The real `wijkbot` process: serve refuses a broken configuration, shuts down cleanly, chat works."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
import yaml
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]
WIJKBOT = [sys.executable, "-m", "wijkbot"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return os.environ | {
        "WIJKBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
        "WIJKBOT_RULES_DIR": str(ROOT / "routing_rules" / "utrecht"),
        "WIJKBOT_LOG_LEVEL": "INFO",
    } | extra


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_refuses_a_broken_configuration(tmp_path: Path) -> None:
    broken = tmp_path / "rules"
    shutil.copytree(ROOT / "routing_rules" / "utrecht", broken)
    (broken / "departments.yaml").write_text("departments: 12\n", encoding="utf-8")
    result = subprocess.run([*WIJKBOT, "serve"], env=env_for(tmp_path, WIJKBOT_RULES_DIR=str(broken)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "departments.yaml" in result.stderr and "moet een lijst zijn" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_is_named(tmp_path: Path) -> None:
    result = subprocess.run([*WIJKBOT, "migrate"], env=env_for(tmp_path, WIJKBOT_PORT="tachtig"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "WIJKBOT_PORT" in result.stderr and "tachtig" not in result.stderr and "Traceback" not in result.stderr


async def wait_until_healthy(http: aiohttp.ClientSession, url: str) -> None:
    """Until the started service answers /health with 200 (15 s at most)."""
    for _ in range(150):
        try:
            async with http.get(f"{url}/health") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    pytest.fail("the service did not start")


async def test_serve_answers_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = env_for(tmp_path, WIJKBOT_PORT=str(port))
    process = subprocess.Popen([*WIJKBOT, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_healthy(http, url)
            body = {"session": "proces-sessie-1", "text": "De lantaarnpaal in de Kanaalstraat is kapot"}
            async with http.post(f"{url}/api/webchat/messages", json=body) as response:
                assert response.status == 202
                reference = (await response.json())["case"]
            for _ in range(50):
                async with http.get(f"{url}/api/webchat/messages", params={"session": "proces-sessie-1"}) as response:
                    messages = (await response.json())["messages"]
                if messages:
                    break
                await asyncio.sleep(0.05)
            assert reference in messages[0]["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "stopped" in output
    assert "Kanaalstraat" not in output and "proces-sessie-1" not in output  # no resident data in logs
    assert "example sentence" not in output  # Utrecht's examples all land where they say


async def test_sigterm_in_a_burst_delivers_every_answer_it_accepted(tmp_path: Path) -> None:
    """An operator's trial stopped the service in the middle of a burst: every accepted message was stored, but
    the answers to those still in flight stayed in the outbox until the next start (on Telegram: never, if the
    service is not started again). Messages accepted before the stop are answered before the process ends."""
    port = free_port()
    process = subprocess.Popen([*WIJKBOT, "serve"], env=env_for(tmp_path, WIJKBOT_PORT=str(port)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    accepted = 0
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_healthy(http, url)

            async def post(n: int) -> int:
                body = {"session": f"burst-sessie-{n:03d}", "text": f"De lantaarnpaal bij Kanaalstraat {n} is kapot"}
                try:
                    async with http.post(f"{url}/api/webchat/messages", json=body) as response:
                        return response.status
                except aiohttp.ClientError:
                    return 0  # refused: the service had stopped listening

            posts = [asyncio.ensure_future(post(n)) for n in range(60)]
            await asyncio.sleep(0.05)
            process.send_signal(signal.SIGTERM)
            accepted = sum(status == 202 for status in await asyncio.gather(*posts))
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    from sqlalchemy import create_engine

    from wijkbot.storage.tables import outbox
    engine = create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        statuses = [row.status for row in conn.execute(select(outbox.c.status).where(outbox.c.purpose == "ack"))]
    engine.dispose()
    assert accepted > 0 and len(statuses) >= accepted
    assert statuses.count("pending") == 0, f"{statuses.count('pending')} of {len(statuses)} answers left unsent"


async def test_serve_starts_with_an_example_that_routes_otherwise_and_logs_it(tmp_path: Path) -> None:
    """check-rules fails on it; the service runs (it can route) and tells its operator."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "routing_rules" / "utrecht", rules)
    categories = (rules / "categories.yaml").read_text(encoding="utf-8")
    (rules / "categories.yaml").write_text(categories.replace("        wijk: Noordwest", "        wijk: Zuid", 1),
                                           encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([*WIJKBOT, "serve"], env=env_for(tmp_path, WIJKBOT_PORT=str(port),
                                                                WIJKBOT_RULES_DIR=str(rules)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_healthy(http, f"http://127.0.0.1:{port}")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert f"WARNING wijkbot: 1 example sentence(s) in {rules} route differently" in output
    assert f"wijkbot check-rules {rules}" in output


def test_terminal_chat(tmp_path: Path) -> None:
    result = subprocess.run([*WIJKBOT, "chat"], env=env_for(tmp_path),
                            input="Er ligt grofvuil naast de container in de Kanaalstraat\n/status\n\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "gemeente> Bedankt voor uw melding" in result.stdout
    assert "Stadswerken" in result.stdout
    assert "UT-" in result.stdout.split("gemeente>")[-1]  # /status lists the open case


@pytest.mark.parametrize("command", [["reply", "UT-2026-999999", "--as", "x@example.org", "hallo"]])
def test_action_on_unknown_case_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    env = env_for(tmp_path)
    subprocess.run([*WIJKBOT, "seed-demo"], env=env, check=True, capture_output=True, timeout=60)
    result = subprocess.run([*WIJKBOT, *command], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "geen ambtenaar" in result.stderr or "geen zaak" in result.stderr


async def test_officer_reply_from_the_cli_reaches_the_web_chat(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from wijkbot.app import build
    from wijkbot.settings import Settings

    env = env_for(tmp_path)
    subprocess.run([*WIJKBOT, "seed-demo"], env=env, check=True, capture_output=True, timeout=60)
    settings = Settings(database_url=env["WIJKBOT_DATABASE_URL"], _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings)
    try:
        async with TestClient(TestServer(bot.web_app())) as client:
            response = await client.post("/api/webchat/messages", json={
                "session": "cli-sessie-01", "text": "Er ligt grofvuil naast de container in de Kanaalstraat"})
            reference = (await response.json())["case"]
            await bot.delivery.drain()
            case_officer = subprocess.run([*WIJKBOT, "show", reference], env=env, capture_output=True, text=True,
                                          timeout=60)
            assert "stadswerken" in case_officer.stdout
            from wijkbot.storage import repository

            async with bot.db.read() as conn:
                case = await repository.case_by_reference(conn, reference)
                officer = await repository.officer(conn, case["officer_id"])
            result = subprocess.run([*WIJKBOT, "reply", reference, "--as", officer["email"],
                                     "We halen het donderdag op."], env=env, capture_output=True, text=True,
                                    timeout=60)
            assert result.returncode == 0, result.stderr
            from wijkbot.domain.followups import waking_moment
            from wijkbot.ports import system_clock
            from wijkbot.storage.tables import outbox

            now = system_clock()
            if waking_moment(now) > now:  # the suite runs at night: a reply we start waits for 08:00
                assert "klaargezet; het gaat om 08:00 weg" in result.stdout
                async with bot.db.read() as conn:
                    held = (await conn.execute(select(outbox.c.body, outbox.c.next_attempt_at)
                                               .where(outbox.c.purpose == "reply"))).one()
                assert "We halen het donderdag op." in held.body and held.next_attempt_at == waking_moment(now)
                return
            assert f"antwoord op {reference} verstuurd" in result.stdout
            got = await (await client.get("/api/webchat/messages", params={"session": "cli-sessie-01"})).json()
            texts = [m["text"] for m in got["messages"]]
            assert len(texts) == 2 and "We halen het donderdag op." in texts[1] and officer["name"] in texts[1]
    finally:
        await bot.close()


Run = Callable[..., "subprocess.CompletedProcess[str]"]


def case_from_the_terminal(tmp_path: Path, text: str) -> tuple[Run, str, str]:
    """A resident writes in `wijkbot chat` (demo data): the command runner for that database, the case's
    reference and the e-mail address of the demo ambtenaar it went to."""
    env = env_for(tmp_path)
    subprocess.run([*WIJKBOT, "seed-demo"], env=env, check=True, capture_output=True, timeout=60)
    chat = subprocess.run([*WIJKBOT, "chat"], env=env, capture_output=True, text=True, timeout=60, input=text + "\n")
    reference = next(w.strip(".,") for w in chat.stdout.split() if w.startswith("UT-"))

    def wijkbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*WIJKBOT, *args], env=env, capture_output=True, text=True, timeout=60)

    shown = wijkbot("show", reference)
    officer = next(line.split(None, 1)[1] for line in shown.stdout.splitlines() if line.startswith("ambtenaar"))
    demo = yaml.safe_load((ROOT / "deploy" / "demo" / "utrecht_officers.yaml").read_text(encoding="utf-8"))
    return wijkbot, reference, next(o["email"] for o in demo if o["name"] == officer)


def test_an_ambtenaar_corrects_the_category_and_hands_over_to_a_team_from_the_cli(tmp_path: Path) -> None:
    """The corrections the router learns from can be made from the command line too."""
    wijkbot, reference, email = case_from_the_terminal(tmp_path, "Er ligt zwerfafval in de Kanaalstraat")
    result = wijkbot("category", reference, "--as", email, "--to", "grofvuil")
    assert result.returncode == 0, result.stderr
    assert "is nu Grofvuil en bijgeplaatst afval" in result.stdout
    shown = wijkbot("show", reference).stdout
    assert "categorie gewijzigd" in shown
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo("Europe/Amsterdam"))  # the times an ambtenaar sees in the inbox, not UTC
    assert "berichten (Europe/Amsterdam):" in shown
    assert any(f"[{(local - timedelta(minutes=m)):%Y-%m-%d %H:%M}]" in shown for m in range(3))
    refused = wijkbot("category", reference, "--as", email, "--to", "Bestaat niet")
    assert refused.returncode == 1 and "onbekende categorie" in refused.stderr
    moved = wijkbot("handover", reference, "--as", email, "--team", "wijkbureau-west", "--reason", "eerst bekijken")
    assert moved.returncode == 0, moved.stderr
    assert "Wijkbureau West (wijkbureau-west)" in wijkbot("show", reference).stdout
    assert wijkbot("handover", reference, "--as", email, "--reason", "x").returncode == 1  # no --to nor --team


def test_a_switched_off_account_cannot_act_from_the_cli(tmp_path: Path) -> None:
    wijkbot, reference, email = case_from_the_terminal(
        tmp_path, "Er ligt grofvuil naast de container in de Kanaalstraat")
    assert wijkbot("users", "disable", email).returncode == 0
    for action in (("reply", reference, "--as", email, "Wij komen morgen kijken."),
                   ("note", reference, "--as", email, "Morgen langs."),
                   ("close", reference, "--as", email, "--outcome", "Opgehaald.")):
        refused = wijkbot(*action)
        assert refused.returncode == 1, action
        assert f"het account van {email} staat uit" in refused.stderr and "Traceback" not in refused.stderr
    after = wijkbot("show", reference).stdout
    assert "Wij komen morgen kijken." not in after and "Morgen langs." not in after and "Opgehaald." not in after


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*WIJKBOT, "serve"], env=env_for(tmp_path, WIJKBOT_PORT=str(port)),
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}: de poort is al in gebruik" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("host", "expected"), [
    ("192.0.2.55", "dit adres hoort niet bij deze machine (kies een ander met WIJKBOT_HOST"),  # TEST-NET-1
    ("geen-machine.invalid", "deze naam is onbekend (controleer WIJKBOT_HOST)"),
])
def test_serve_on_a_host_that_is_not_ours_names_wijkbot_host(tmp_path: Path, host: str, expected: str) -> None:
    env = env_for(tmp_path, WIJKBOT_HOST=host, WIJKBOT_PORT=str(free_port()))
    result = subprocess.run([*WIJKBOT, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert "WIJKBOT_PORT" not in result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["learn", "--activate", "abc"], "wijkbot learn: fout: --activate: 'abc' is hier geen geldige waarde"),
    (["digest", "--week", "2026-W47"], "wijkbot digest: fout: dit ontbreekt nog: --wijk"),
    (["digest", "--wijk", "Oost", "--lang", "de"], "--lang: 'de' kan niet; kies uit 'nl', 'en'"),
    (["outbox", "--days", "0"], "'0' is geen aantal dagen van 1 tot en met 365"),
])
def test_wrong_usage_is_explained_in_dutch(tmp_path: Path, args: list[str], expected: str) -> None:
    result = subprocess.run([*WIJKBOT, *args], env=env_for(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert expected in result.stderr and result.stderr.startswith("gebruik: wijkbot"), result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr
