"""Learning in the service: `wijkbot learn` stores a model the service routes with; corrections from the
inbox are learned by the nightly re-training; a bad export changes nothing; an earlier model can be restored."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.support.history import write_history
from tests.support.models import with_format
from wijkbot.app import Wijkbot, build
from wijkbot.cli import main
from wijkbot.learning.history import load_history
from wijkbot.seed import seed_officers
from wijkbot.services.learning import ModelSuperseded, TrainedModel
from wijkbot.settings import Settings
from wijkbot.storage import learning_rows, repository
from wijkbot.storage.db import Database
from wijkbot.storage.tables import officer_wijken, officers, routing_models, training_examples
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]
UTRECHT = ROOT / "routing_rules" / "utrecht"


def learn(*args: str) -> int:
    return main(["learn", "--rules", str(UTRECHT), *args])


async def case_of(bot: Wijkbot, reference: str) -> dict:
    async with bot.db.read() as conn:
        row = await repository.case_by_reference(conn, reference)
        assert row is not None
        return dict(row)


async def trained_on_an_export(bot: Wijkbot, tmp_path: Path) -> TrainedModel:
    """As a beheerder does: import a made-up export of 80 labelled meldingen and train on it."""
    export = tmp_path / "export.csv"
    write_history(export, rows=80)
    return await bot.learning.learn_history(load_history(export, bot.rules))


async def handler_of(bot: Wijkbot, case: dict) -> str:
    """The e-mail of who may act on the case: its ambtenaar, or the wijk's wijkregisseur (triage)."""
    async with bot.db.read() as conn:
        if case["officer_id"] is not None:
            return str((await repository.officer(conn, case["officer_id"]))["email"])
        regisseur = (select(officers.c.email)
                     .join(officer_wijken, officer_wijken.c.officer_id == officers.c.id)
                     .where(officer_wijken.c.wijk == case["wijk"]))
        found = await conn.execute(regisseur)
        return str(found.scalar_one())


@pytest.fixture
def cli_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("WIJKBOT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("WIJKBOT_RULES_DIR", str(UTRECHT))
    return sqlite_url


async def started(url: str) -> tuple[Wijkbot, RecordingChannel]:
    channel = RecordingChannel()
    settings = Settings(database_url=url, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings, FrozenClock(), extra_channels={channel.name: channel})
    await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
    return bot, channel


async def case_in_a_new_service(url: str, text: str) -> dict:
    """Start the service as a process would (it installs the active model), and open a case with this text."""
    bot, channel = await started(url)
    try:
        resident = Harness(bot, channel)
        await resident.say(text)
        return await case_of(bot, resident.reference)
    finally:
        await bot.close()


@pytest.fixture
async def bot_factory(sqlite_url: str) -> AsyncIterator[Callable[[], Awaitable[tuple[Wijkbot, RecordingChannel]]]]:
    """Services sharing one database, like processes of one installation."""
    bots: list[Wijkbot] = []

    async def make() -> tuple[Wijkbot, RecordingChannel]:
        bot, channel = await started(sqlite_url)
        bots.append(bot)
        return bot, channel

    yield make
    for bot in bots:
        await bot.close()


def test_learn_command_stores_a_model_that_the_service_routes_with(
        cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    write_history(export, rows=80, extra=[["x1", "", "Straatverlichting kapot", "", ""]])
    assert learn("--history", str(export)) == 0
    out, err = capsys.readouterr()
    assert "80 meldingen gelezen" in out and "1 regel(s) overgeslagen" in out
    assert "regel 82: lege tekst, overgeslagen" in err
    assert "model 1 in gebruik" in out

    case = asyncio.run(case_in_a_new_service(cli_db, "Het is hier erg donker bij de Kanaalstraat"))
    assert case["category"] == "straatverlichting"
    assert any(r.startswith("geleerd van 40 eerdere meldingen") for r in case["routing"]["reasons"])


def test_a_bad_export_changes_nothing(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, empty = tmp_path / "good.csv", tmp_path / "empty.csv"
    write_history(good, rows=40)
    assert learn("--history", str(good)) == 0
    empty.write_bytes(b"")
    assert learn("--history", str(empty)) == 1
    assert "er is niets veranderd" in capsys.readouterr().err
    # Rows that parse, but whose texts share no word: nothing to learn from, said before anything is stored.
    wordless = tmp_path / "wordless.csv"
    wordless.write_text("text,category\n?,Straatverlichting kapot\n!!,Container vol of kapot\n"
                        "🙂,Straatverlichting kapot\n...,Container vol of kapot\n", encoding="utf-8")
    assert learn("--history", str(wordless)) == 1
    err = capsys.readouterr().err
    assert "te weinig meldingen met een categorie" in err and "er is niets veranderd" in err
    assert "Traceback" not in err

    async def stored() -> tuple[list[int], int]:
        db = Database(cli_db)
        try:
            async with db.read() as conn:
                return ([m["id"] for m in await learning_rows.models(conn, "utrecht")],
                        len(await learning_rows.history(conn, "utrecht")))
        finally:
            await db.dispose()

    assert asyncio.run(stored()) == ([1], 40)
    # Rows of one category only: a model would send everything there, sure of itself. Refused, and the
    # stored history of 40 rows is kept.
    one = tmp_path / "one.csv"
    one.write_text("text,category\n" + "".join(f"Lamp {i} kapot,Straatverlichting kapot\n" for i in range(40)),
                   encoding="utf-8")
    assert learn("--history", str(one)) == 1
    assert "dezelfde categorie" in capsys.readouterr().err
    assert asyncio.run(stored()) == ([1], 40)


def test_the_skipped_rows_are_shown_when_a_file_is_refused(cli_db: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("text,category\nlamp kapot,Bestaat niet\n,Straatverlichting kapot\n", encoding="utf-8")
    assert learn("--history", str(unknown)) == 1
    err = capsys.readouterr().err
    assert "regel 2: onbekende categorie 'Bestaat niet'" in err and "regel 3: lege tekst" in err
    assert "geen bruikbare regels" in err and "er is niets veranderd" in err


def test_an_export_with_categories_only_is_learned(cli_db: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """No team column: the category is learned, and its department comes from the configuration."""
    full, only = tmp_path / "full.csv", tmp_path / "categories.csv"
    write_history(full, rows=60)
    with full.open(encoding="utf-8", newline="") as source, only.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        for row in csv.reader(source):
            writer.writerow(row[1:3])  # text, category
    assert learn("--history", str(only)) == 0
    assert "geleerd van 60 meldingen" in capsys.readouterr().out

    case = asyncio.run(case_in_a_new_service(cli_db, "Het is hier erg donker bij de Kanaalstraat"))
    assert case["category"] == "straatverlichting" and case["department"] == "stadswerken"


def test_a_few_corrections_alone_do_not_take_over_routing(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """With no history, the corrections of a first day are too few to learn from: the rules keep routing,
    and `wijkbot learn` says why."""

    async def correct() -> None:
        bot, channel = await started(cli_db)
        try:
            for text in ("Er ligt zwerfafval in de Kanaalstraat", "Veel zwerfafval bij de Vleutenseweg"):
                resident = Harness(bot, channel)
                await resident.say(text)
                case = await case_of(bot, resident.reference)
                actor = await bot.actions.actor(await handler_of(bot, case))
                await bot.actions.change_category(resident.reference, actor, "grofvuil", "het is grofvuil")
        finally:
            await bot.close()

    asyncio.run(correct())
    assert learn() == 1
    err = capsys.readouterr().err
    assert "te weinig meldingen met een categorie om van te leren: 2" in err and "er is niets veranderd" in err
    assert learn("--list") == 0
    assert "nog geen modellen" in capsys.readouterr().out

    async def check() -> list[str]:
        bot, _ = await started(cli_db)
        try:
            return list(bot.intake.router.route("De lantaarnpaal op de Kanaalstraat is kapot").reasons)
        finally:
            await bot.close()

    reasons = asyncio.run(check())
    assert not any(r.startswith("geleerd van") for r in reasons) and "Straatverlichting" in reasons[0]


def test_back_to_the_rules_alone(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    write_history(export, rows=40)
    assert learn("--history", str(export)) == 0

    async def routes_with_a_model() -> tuple[bool, bool]:
        bot, _ = await started(cli_db)
        try:
            before = any(r.startswith("geleerd van") for r in bot.intake.router.route("Al dagen donker").reasons)
            assert await asyncio.to_thread(learn, "--rules-only") == 0  # the beheerder, in another process
            await bot.learning.refresh()  # what every process does within WIJKBOT_MODEL_REFRESH_SECONDS
            after = any(r.startswith("geleerd van") for r in bot.intake.router.route("Al dagen donker").reasons)
            return before, after
        finally:
            await bot.close()

    assert asyncio.run(routes_with_a_model()) == (True, False)
    capsys.readouterr()
    assert learn("--list") == 0
    listed = capsys.readouterr().out
    assert "geen model in gebruik" in listed and "*" not in listed

    async def back_to_the_model() -> tuple[bool, bool]:
        bot, _ = await started(cli_db)  # starts with the rules alone: nothing to install
        try:
            assert await bot.learning.refresh() is False
            assert await asyncio.to_thread(learn, "--activate", "1") == 0
            installed = await bot.learning.refresh()
            return installed, any(r.startswith("geleerd van")
                                  for r in bot.intake.router.route("Al dagen donker").reasons)
        finally:
            await bot.close()

    assert asyncio.run(back_to_the_model()) == (True, True)
    with pytest.raises(SystemExit) as usage:  # one thing at a time: argparse's usage error
        learn("--history", str(export), "--list")
    assert usage.value.code == 2 and "gaat niet samen met" in capsys.readouterr().err


async def test_a_retraining_does_not_undo_what_a_beheerder_did_meanwhile(tmp_path: Path, bot_factory,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`wijkbot learn --rules-only` while the service retrains: the beheerder's choice stands."""
    bot, _ = await bot_factory()
    await trained_on_an_export(bot, tmp_path)
    monkeypatch.setenv("WIJKBOT_DATABASE_URL", bot.db.url)
    switched: list[int] = []

    def beheerder_meanwhile(step: str, _done: int, _total: int) -> None:
        if step == "klaar" and not switched:  # training runs in a thread: a second process acts now
            switched.append(learn("--rules-only"))

    with pytest.raises(ModelSuperseded):
        await bot.learning.retrain(beheerder_meanwhile)
    assert switched == [0]
    async with bot.db.read() as conn:
        assert await learning_rows.active_model(conn, "utrecht", with_data=False) is None
        assert len(await learning_rows.models(conn, "utrecht")) == 1  # nothing stored


def test_list_and_restore_an_earlier_model(cli_db: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    write_history(export, rows=40)
    assert learn("--history", str(export)) == 0
    assert learn() == 0  # again, from the stored history
    capsys.readouterr()
    assert learn("--list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("     1") and listed[1].startswith("*    2")
    assert learn("--activate", "1") == 0
    assert learn("--activate", "9") == 1
    assert learn("--list") == 0
    assert capsys.readouterr().out.splitlines()[-2].startswith("*    1")


async def test_corrections_are_learned_by_the_nightly_retraining(tmp_path: Path, bot_factory) -> None:
    bot, channel = await bot_factory()
    await trained_on_an_export(bot, tmp_path)
    assert await bot.learning.retrain_if_corrected() is None  # nothing corrected yet
    assert bot.intake.router.route("Weer stinkend gekrakeel bij de Oudegracht").suggested_department != "veiligheid"

    # Residents write about "stinkend gekrakeel", which an ambtenaar knows belongs to Veiligheid (made up).
    references = []
    for street in ("Kanaalstraat", "Amsterdamsestraatweg", "Oudegracht", "Vleutenseweg"):
        resident = Harness(bot, channel)
        await resident.say(f"Weer stinkend gekrakeel bij de {street}")
        references.append(resident.reference)
    for reference in references:
        case = await case_of(bot, reference)
        assert case["department"] != "veiligheid"
        actor = await bot.actions.actor(await handler_of(bot, case))
        await bot.actions.hand_over(reference, actor, "veiligheid", "overlast van personen, niet van afval")

    trained = await bot.learning.retrain_if_corrected()
    assert trained is not None and trained.corrections == 4
    # The running intake now suggests Veiligheid for it (the triage queue shows the suggestion).
    decision = bot.intake.router.route("Weer stinkend gekrakeel bij de Oudegracht")
    assert decision.suggested_department == "veiligheid"
    assert await bot.learning.retrain_if_corrected() is None  # once per batch of corrections

    # A second correction of a case that was corrected before is a new correction too.
    actor = await bot.actions.actor(await handler_of(bot, await case_of(bot, references[0])))
    await bot.actions.hand_over(references[0], actor, "stadswerken", "toch de bak zelf: stinkt en lekt")
    again = await bot.learning.retrain_if_corrected()
    assert again is not None and again.corrections == 4  # the same four cases, one with its new labels
    assert await bot.learning.retrain_if_corrected() is None


async def test_a_model_chosen_again_is_retrained_on_its_own_history(tmp_path: Path, bot_factory) -> None:
    """A beheerder imports a poor export, goes back to the earlier model, and an ambtenaar corrects a case:
    the nightly retraining learns from the earlier model's history, not from the poor export."""
    bot, channel = await bot_factory()
    good = await trained_on_an_export(bot, tmp_path)  # 80 meldingen
    poor_export = tmp_path / "poor.csv"
    write_history(poor_export, rows=40)
    poor = await bot.learning.learn_history(load_history(poor_export, bot.rules))
    async with bot.db.write() as conn:
        assert await learning_rows.activate(conn, "utrecht", good.model_id)
    assert await bot.learning.refresh() is True

    resident = Harness(bot, channel)
    await resident.say("Weer stinkend gekrakeel bij de Kanaalstraat")
    case = await case_of(bot, resident.reference)
    actor = await bot.actions.actor(await handler_of(bot, case))
    await bot.actions.hand_over(resident.reference, actor, "veiligheid", "overlast van personen")

    retrained = await bot.learning.retrain_if_corrected()
    assert retrained is not None and (retrained.history, retrained.corrections) == (80, 1)
    async with bot.db.read() as conn:
        active = await learning_rows.active_model(conn, "utrecht", with_data=False)
        assert active is not None and active["history_id"] == good.model_id
        assert active["source"] == (f"nachtelijke hertraining, geschiedenis van model {good.model_id} "
                                    "(geschiedenis) + 1 correctie uit de inbox")
        assert len(await learning_rows.history(conn, "utrecht")) == 40  # the newest import is still the poor one
        assert len(await learning_rows.history(conn, "utrecht", poor.model_id)) == 40


async def test_another_process_model_is_picked_up(tmp_path: Path, bot_factory) -> None:
    first, _ = await bot_factory()
    second, channel = await bot_factory()
    trained = await trained_on_an_export(first, tmp_path)
    assert await second.learning.refresh() is True
    assert second.learning.model_id == trained.model_id
    assert await second.learning.refresh() is False
    resident = Harness(second, channel)
    await resident.say("Al dagen heel donker in de Biltstraat")
    assert (await case_of(second, resident.reference))["category"] == "straatverlichting"


async def test_a_model_of_an_older_wijkbot_is_trained_again_from_the_stored_history(tmp_path: Path,
                                                                                   bot_factory) -> None:
    first, _ = await bot_factory()
    old = await trained_on_an_export(first, tmp_path)
    async with first.db.write() as conn:  # as an older wijkbot stored it (model format 1)
        data = (await learning_rows.active_model(conn, first.rules.municipality.id))["data"]
        await conn.execute(update(routing_models).where(routing_models.c.id == old.model_id)
                           .values(data=with_format(data, 1)))

    upgraded, channel = await bot_factory()  # the new version starts on the same database
    assert upgraded.learning.stale  # it could not use the stored model: the rules route meanwhile
    assert not any(r.startswith("geleerd van") for r in upgraded.intake.router.route("Al dagen donker").reasons)
    trained = await upgraded.learning.retrain_if_corrected()  # what the start-up job runs
    assert trained is not None and trained.model_id != old.model_id and trained.history == old.history
    assert not upgraded.learning.stale
    assert any(r.startswith("geleerd van") for r in upgraded.intake.router.route("Al dagen donker").reasons)
    resident = Harness(upgraded, channel)
    await resident.say("Al dagen heel donker in de Biltstraat")
    case = await case_of(upgraded, resident.reference)
    assert case["category"] == "straatverlichting"
    assert await upgraded.learning.retrain_if_corrected() is None  # once


async def test_something_new_chosen_with_a_button_is_routed_with_the_learned_model(tmp_path: Path,
                                                                                   bot_factory) -> None:
    bot, channel = await bot_factory()
    await trained_on_an_export(bot, tmp_path)
    resident = Harness(bot, channel)
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    first = resident.reference
    bot.clock.advance(hours=2)  # type: ignore[attr-defined]  # later that day: the bot asks which case
    await resident.say("Het is hier al dagen heel donker")  # no street, and a subject of the same vakdienst: asked
    new = next(value for _label, value in resident.buttons() if value.startswith("case:new"))
    await resident.choose(new)
    assert resident.reference != first
    case = await case_of(bot, resident.reference)
    assert case["category"] == "straatverlichting"
    assert any(r.startswith("geleerd van") for r in case["routing"]["reasons"])


async def test_a_model_whose_history_is_gone_is_not_retrained_on_corrections_alone(tmp_path: Path,
                                                                                 bot_factory) -> None:
    bot, channel = await bot_factory()
    trained = await trained_on_an_export(bot, tmp_path)
    async with bot.db.write() as conn:  # a model from before migration 0009 whose import was pruned since
        await conn.execute(training_examples.delete())
        await conn.execute(update(routing_models).values(history_id=None))
    resident = Harness(bot, channel)
    await resident.say("Weer stinkend gekrakeel bij de Kanaalstraat")
    case = await case_of(bot, resident.reference)
    await bot.actions.hand_over(resident.reference, await bot.actions.actor(await handler_of(bot, case)),
                                "veiligheid", "overlast van personen")
    assert await bot.learning.retrain_if_corrected() is None
    async with bot.db.read() as conn:
        active = await learning_rows.active_model(conn, "utrecht", with_data=False)
        assert active is not None and active["id"] == trained.model_id  # the beheerder's model stays
