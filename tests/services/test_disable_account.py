"""Switching an account off gives its open cases back to their team: no case is left with a behandelaar who can
no longer sign in. The service, the CLI and the beheerder's page (with its confirm step) do the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.inbox.conftest import AFVAL, EMAIL, Pool, new_case, officer_pool, signed_in, sqlite_inbox
from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.services.action_base import load_person
from wijkbot.services.people import RETURNED_TO_TEAM, PeopleError
from wijkbot.services.queues import QueueQuery
from wijkbot.storage import repository
from wijkbot.storage.tables import audit_log
from wijkbot.testing import FrozenClock, RecordingChannel


@pytest.fixture
async def accounts_bot(tmp_path: Path, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    async with sqlite_inbox(tmp_path, clock, channel, "accounts.db") as instance:
        yield instance


@pytest.fixture
async def browsers(accounts_bot: Wijkbot) -> AsyncIterator[Pool]:
    async with officer_pool(accounts_bot) as pool:
        yield pool


async def anouks_cases(bot: Wijkbot, channel: RecordingChannel, count: int) -> list[str]:
    """`count` new cases of Stadswerken West, each assigned to Anouk by her teamleider Bram."""
    bram = await bot.actions.actor(EMAIL["bram"])
    anouk = await bot.inbox.people.by_email(EMAIL["anouk"])
    references = []
    for _ in range(count):
        resident = await new_case(bot, channel, AFVAL)
        async with bot.db.read() as conn:
            case = await repository.case_by_reference(conn, resident.reference)
        if case["officer_id"] != anouk.officer_id:
            await bot.actions.assign(resident.reference, bram, anouk.officer_id)
        references.append(resident.reference)
    return references


async def case(bot: Wijkbot, reference: str) -> dict:
    async with bot.db.read() as conn:
        row = await repository.case_by_reference(conn, reference)
        events = await repository.events_of(conn, row["id"])
    return dict(row) | {"events": [dict(e) for e in events]}


async def test_open_cases_go_back_to_the_team_with_a_history_event(accounts_bot: Wijkbot,
                                                                    channel: RecordingChannel) -> None:
    bot = accounts_bot
    first, second, third = await anouks_cases(bot, channel, 3)
    anouk_actor = await bot.actions.actor(EMAIL["anouk"])
    await bot.actions.set_status(second, anouk_actor, Status.IN_BEHANDELING)
    await bot.actions.close(third, anouk_actor, "Opgehaald")
    anouk = await bot.inbox.people.by_email(EMAIL["anouk"])
    olaf = await bot.inbox.people.by_email(EMAIL["olaf"])

    assert await bot.inbox.people.disable_preview(anouk.officer_id) == 2  # the closed case does not count
    assert (await bot.inbox.people.get(anouk.officer_id)).active  # a preview changes nothing

    assert await bot.inbox.people.set_active(anouk.officer_id, False, str(olaf.officer_id)) == 2
    for reference, status in ((first, "nieuw"), (second, "in behandeling")):
        returned = await case(bot, reference)
        assert returned["officer_id"] is None, reference
        assert returned["team"] == "stadswerken-west"
        assert returned["status"] == status  # "toegewezen" is "nieuw" again; work already begun stays begun
        event = returned["events"][-1]
        assert event["type"] == RETURNED_TO_TEAM == "teruggezet naar het team"
        assert event["actor"] == str(olaf.officer_id)
        assert event["data"] == {"reden": "behandelaar uitgezet", "van": anouk.officer_id, "team": "stadswerken-west"}
    closed = await case(bot, third)
    assert closed["officer_id"] == anouk.officer_id  # a closed case keeps who handled it
    assert closed["events"][-1]["type"] != RETURNED_TO_TEAM

    # The team queue shows them without a behandelaar, so the teamleider or a colleague picks them up.
    async with bot.db.read() as conn:
        bram = await load_person(conn, (await bot.inbox.people.by_email(EMAIL["bram"])).officer_id)
    assert bram is not None
    page = await bot.inbox.queues.show(bram, QueueQuery(queue="team"))
    rows = {row["reference"]: row for row in page.rows}
    assert {first, second} <= set(rows) and third not in rows
    assert rows[first]["officer_id"] is None and rows[first]["officer_name"] is None
    assert rows[second]["officer_id"] is None

    # Nothing is assigned to her again, and switching on again gives nothing back (the team keeps the cases).
    later = await new_case(bot, channel, AFVAL)
    assert (await case(bot, later.reference))["officer_id"] != anouk.officer_id
    assert await bot.inbox.people.set_active(anouk.officer_id, True, "cli") == 0
    assert (await case(bot, first))["officer_id"] is None


async def test_the_last_beheerder_cannot_even_be_previewed_off(accounts_bot: Wijkbot) -> None:
    olaf = await accounts_bot.inbox.people.by_email(EMAIL["olaf"])
    with pytest.raises(PeopleError, match="minstens één beheerder"):
        await accounts_bot.inbox.people.disable_preview(olaf.officer_id)


async def test_the_beheerder_confirms_and_reads_how_many_cases_went_back(accounts_bot: Wijkbot, browsers: Pool,
                                                                         channel: RecordingChannel) -> None:
    bot = accounts_bot
    references = await anouks_cases(bot, channel, 3)
    anouk = await bot.inbox.people.by_email(EMAIL["anouk"])
    olaf = await signed_in(browsers, "olaf")
    await olaf.get("/inbox/beheer/mensen")

    asked = await olaf.post(f"/inbox/beheer/mensen/{anouk.officer_id}/uitzetten", {})
    assert asked.status == 200
    assert "Account van Anouk Voorbeeld uitzetten?" in asked.text
    assert "Anouk Voorbeeld heeft 3 open zaken. Die gaan terug naar hun team." in asked.text
    assert 'name="bevestigd" value="ja"' in asked.html
    assert (await bot.inbox.people.get(anouk.officer_id)).active  # asking changed nothing
    assert [(await case(bot, r))["officer_id"] for r in references] == [anouk.officer_id] * 3

    confirm_form = f"/inbox/beheer/mensen/{anouk.officer_id}/uitzetten"  # the confirm step's own form
    done = await olaf.post(confirm_form, {"bevestigd": "ja", "csrf": asked.field("csrf", within=confirm_form)})
    assert done.status == 200 and done.url.endswith("/inbox/beheer/mensen")  # after the redirect
    assert "Het account van Anouk Voorbeeld staat uit. 3 open zaken zijn terug naar hun team." in done.text
    assert not (await bot.inbox.people.get(anouk.officer_id)).active
    assert [(await case(bot, r))["officer_id"] for r in references] == [None] * len(references)
    again = await olaf.get("/inbox/beheer/mensen")
    assert "open zaken zijn terug" not in again.text  # the message is shown once

    page = await olaf.get(f"/inbox/zaak/{references[0]}")
    assert "teruggezet naar het team" in page.text and "behandelaar uitgezet" in page.text
    audit = await olaf.get("/inbox/beheer/audit")
    assert "3 open zaken terug naar het team" in audit.text

    bram = await signed_in(browsers, "bram")
    queue = await bram.get("/inbox/zaken?queue=team")
    assert set(references) <= set(queue.references())
    assert "Anouk Voorbeeld" not in queue.text and "Nog niemand" in queue.text


async def test_switching_on_says_so_and_english_reads_english(accounts_bot: Wijkbot, browsers: Pool,
                                                              channel: RecordingChannel) -> None:
    bot = accounts_bot
    await anouks_cases(bot, channel, 1)
    anouk = await bot.inbox.people.by_email(EMAIL["anouk"])
    olaf = await signed_in(browsers, "olaf")
    await olaf.get("/inbox/beheer/mensen")
    await olaf.post("/inbox/taal", {"lang": "en", "next": "/inbox/beheer/mensen"})
    asked = await olaf.post(f"/inbox/beheer/mensen/{anouk.officer_id}/uitzetten", {})
    assert "Anouk Voorbeeld has 1 open case. It goes back to its team." in asked.text
    done = await olaf.post(f"/inbox/beheer/mensen/{anouk.officer_id}/uitzetten", {"bevestigd": "ja"})
    assert "Anouk Voorbeeld's account is disabled. 1 open case went back to its team." in done.text
    on = await olaf.post(f"/inbox/beheer/mensen/{anouk.officer_id}/aanzetten", {})
    assert "Anouk Voorbeeld's account is enabled again." in on.text


async def test_the_cli_switches_off_and_prints_the_count(accounts_bot: Wijkbot, channel: RecordingChannel,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkbot import cli_users

    bot = accounts_bot
    references = await anouks_cases(bot, channel, 2)

    async def reuse(_settings: object, work: object) -> int:  # the running test service instead of a new build
        return int(await work(bot))  # type: ignore[operator]

    monkeypatch.setattr(cli_users, "_with_bot", reuse)
    parser_args = type("Args", (), {"email": EMAIL["anouk"]})()
    assert await cli_users.cmd_disable(parser_args, bot.settings) == 0  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "staat uit" in out and "2 open zaken terug naar het team" in out
    assert [(await case(bot, r))["officer_id"] for r in references] == [None] * len(references)
    assert [e["actor"] for e in (await case(bot, references[0]))["events"] if e["type"] == RETURNED_TO_TEAM] == ["cli"]


async def test_switching_off_twice_says_so_and_records_nothing_more(accounts_bot: Wijkbot) -> None:
    bot = accounts_bot
    anouk = await bot.inbox.people.by_email(EMAIL["anouk"])
    assert anouk is not None
    await bot.inbox.people.set_active(anouk.officer_id, False, "cli")
    async with bot.db.read() as conn:
        rows_before = (await conn.execute(select(func.count()).select_from(audit_log))).scalar_one()
    with pytest.raises(PeopleError, match="staat al uit"):
        await bot.inbox.people.set_active(anouk.officer_id, False, "cli")
    async with bot.db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(audit_log))).scalar_one() == rows_before
    with pytest.raises(PeopleError, match="staat al aan"):
        bram = await bot.inbox.people.by_email(EMAIL["bram"])
        assert bram is not None
        await bot.inbox.people.set_active(bram.officer_id, True, "cli")
