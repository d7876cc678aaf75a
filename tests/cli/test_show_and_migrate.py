"""`wijkbot show` reads like the inbox's case page (names, not ids; the inbox's event wording; the wijkambitie),
and `wijkbot migrate` says in Dutch what it did."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from wijkbot.app import build
from wijkbot.cli import main
from wijkbot.seed import seed_officers
from wijkbot.settings import Settings
from wijkbot.storage.migrate import alembic_config
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]
UTRECHT = ROOT / "routing_rules" / "utrecht"
BRAM = "bram.deproef@example.org"  # teamleider stadswerken-west (deploy/demo/utrecht_officers.yaml)
JORIS = "joris.demostra@example.org"  # teamleider vth


@pytest.fixture
def cli_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    for key, value in {"WIJKBOT_DATABASE_URL": url, "WIJKBOT_RULES_DIR": str(UTRECHT),
                       "WIJKBOT_LOCALES_DIR": str(ROOT / "locales"), "WIJKBOT_LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    return url


async def a_case(url: str, text: str, act: bool = False, to_team: str | None = None) -> str:
    """A resident writes `text` (the test harness); with `act`, ambtenaren correct, hand over and close it;
    with `to_team`, Bram hands it to that team of the same vakdienst."""
    channel = RecordingChannel()
    settings = Settings(database_url=url, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings, FrozenClock(), extra_channels={channel.name: channel})
    try:
        await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
        resident = Harness(bot, channel)
        await resident.say(text)
        reference = resident.reference
        if to_team:
            await bot.actions.hand_over(reference, await bot.actions.actor(BRAM), None, "ander gebied", team=to_team)
        if act:
            bram = await bot.actions.actor(BRAM)
            await bot.actions.change_category(reference, bram, "grofvuil")
            await bot.actions.hand_over(reference, bram, "vth", "er staat een bouwcontainer, 06-12345678 weet meer")
            await bot.actions.close(reference, await bot.actions.actor(JORIS), "De container is weggehaald.")
        await bot.delivery.drain()  # what the resident is told leaves now, over the test channel
        return str(reference)
    finally:
        await bot.close()


def shown(reference: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["show", reference]) == 0
    return capsys.readouterr().out


def history_of(out: str) -> list[str]:
    return [line.split("] ", 1)[1] for line in out.split("geschiedenis:\n", 1)[1].splitlines()]


def test_show_reads_the_history_as_the_inbox_does(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    reference = asyncio.run(a_case(cli_db, "Er ligt zwerfafval in de Kanaalstraat", act=True))
    assert main(["note", reference, "--as", JORIS, "Nagebeld met de aannemer."]) == 0
    capsys.readouterr()
    out = shown(reference, capsys)
    history = history_of(out)
    vth = "Vergunningen, Toezicht en Handhaving (VTH)"
    assert history == [
        "systeem: zaak aangemaakt",
        "Bram de Proef: categorie gewijzigd · Zwerfafval en vuil op straat → Grofvuil en bijgeplaatst afval",
        "Bram de Proef: overgedragen · reden: er staat een bouwcontainer, [weggelaten] weet meer · "
        f"Stadswerken → {vth}",
        "Joris Demostra: afgehandeld · De container is weggehaald.",  # the outcome stays in the history
        "Joris Demostra: notitie",
    ]
    # no ids, no stored keys, no raw data, no contact data anywhere
    for raw in ("officer_id", "reasons", "department:", "{", "12345678"):
        assert raw not in out, raw
    assert "wijkambitie" not in out  # a melding serves no wijkambitie
    assert f"vakdienst       {vth} (vth)\n" in out and "ambtenaar       Ilse van Proefhoven\n" in out
    assert "uitkomst        De container is weggehaald.\n" in out
    assert "routering:\n  - zwerfafval -> Zwerfafval en vuil op straat (Stadswerken)\n" in out


@pytest.mark.parametrize(("text", "ambition"), [
    ("Wij willen een geveltuin aanleggen op het Janskerkhof, een buurtinitiatief",
     "Een kwalitatief goede openbare ruimte, aantrekkelijk voor bewoner en bezoeker"),
    ("Wij willen een buurtinitiatief starten op het Janskerkhof: een kookclub", "past bij geen wijkambitie"),
    ("Wij willen een buurtfeest organiseren in de Kanaalstraat, een bewonersinitiatief",
     "voor deze wijk zijn nog geen wijkambities vastgelegd"),
    ("Wij willen een buurtfeest organiseren, een bewonersinitiatief",
     "de wijk is niet bekend, dus er is geen wijkambitie bepaald"),
])
def test_show_names_the_wijkambitie_of_an_initiative(cli_db: str, capsys: pytest.CaptureFixture[str], text: str,
                                                     ambition: str) -> None:
    out = shown(asyncio.run(a_case(cli_db, text)), capsys)
    assert "soort           initiatief" in out
    assert f"wijkambitie     {ambition}\n" in out


def test_migrate_says_what_it_did(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    script = ScriptDirectory.from_config(alembic_config(cli_db))
    head = script.get_current_head()
    steps = sum(1 for _ in script.walk_revisions())
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == f"database bijgewerkt naar versie {head} ({steps} stappen)\n"
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == f"database is al bij (versie {head})\n"


def test_handover_and_category_say_the_team_by_its_name(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    reference = asyncio.run(a_case(cli_db, "Er ligt zwerfafval in de Kanaalstraat"))
    capsys.readouterr()
    assert main(["category", reference, "--as", BRAM, "--to", "fietswrak", "--reason", "het is een fietswrak"]) == 0
    said = capsys.readouterr().out
    assert "overgedragen aan Vergunningen, Toezicht en Handhaving" in said and " vth" not in said


def test_a_handover_within_one_vakdienst_names_the_teams(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    reference = asyncio.run(a_case(cli_db, "Er ligt zwerfafval in de Kanaalstraat", to_team="stadswerken-centrum-oost"))
    handed = [line for line in history_of(shown(reference, capsys)) if "overgedragen" in line]
    assert handed == ["Bram de Proef: overgedragen · reden: ander gebied · Stadswerken West en Noordwest → "
                      "Stadswerken Binnenstad en Oost"]


async def _photo_after(url: str, text: str) -> str:
    """A resident writes `text`, then sends a photo without words."""
    from wijkbot.domain.model import Attachment, InboundMessage, ReplyAddress

    channel = RecordingChannel()
    settings = Settings(database_url=url, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings, FrozenClock(), extra_channels={channel.name: channel})
    try:
        resident = Harness(bot, channel)
        await resident.say(text)
        photo = Attachment("image/jpeg", "IMG_0001.jpg", b"\xff\xd8\xff" + b"0" * 100)
        await bot.inbound.receive(InboundMessage(ReplyAddress(channel.name, resident.address), "photo-1", "",
                                                 bot.clock(), attachments=(photo,)))
        return str(resident.reference)
    finally:
        await bot.close()


def test_show_names_the_file_of_a_message_without_words(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    reference = asyncio.run(_photo_after(cli_db, "De lantaarnpaal in de Kanaalstraat is kapot"))
    out = shown(reference, capsys)
    messages = out.split("berichten (", 1)[1].split("bijlagen", 1)[0]
    bijlage = out.split("bijlagen (", 1)[1].splitlines()[1].strip().split(":", 1)[0]
    assert f"van de bewoner: (alleen een bijlage: {bijlage})" in messages
    assert "van de bewoner: \n" not in messages
