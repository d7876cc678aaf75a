"""Photos, files and shared locations: kept with the case for the ambtenaar, or refused with a clear answer."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld
from tests.support.fake_telegram import FakeTelegram
from wijkbot.storage import attachments
from wijkbot.storage.tables import messages

REFERENCE = re.compile(r"UT-\d{4}-\d{6}")
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"  # bytes as a phone sends them, not text


def reference_in(text: str) -> str:
    found = REFERENCE.search(text)
    assert found is not None, text
    return found.group()


async def files_of(world: TelegramWorld, reference: str) -> list[tuple[dict, bytes]]:
    case = await world.case(reference)
    async with world.bot.db.read() as conn:
        found = []
        for meta in await attachments.of_case(conn, case["id"]):
            stored = await attachments.content(conn, meta["id"])
            assert stored is not None
            found.append(stored)
    return found


async def test_a_photo_with_a_caption_opens_a_case_and_is_kept_with_it(world: TelegramWorld,
                                                                       fake: FakeTelegram) -> None:
    await world.deliver(fake.photo(CHAT, JPEG, caption="Grofvuil naast de container op de Amsterdamsestraatweg"))
    got = await world.received()
    assert len(got) == 1 and "Stadswerken" in got[0]
    files = await files_of(world, reference_in(got[0]))
    assert len(files) == 1
    meta, content = files[0]
    assert content == JPEG  # the largest size Telegram offers, byte for byte
    assert meta["content_type"] == "image/jpeg" and meta["size"] == len(JPEG)


async def test_a_photo_first_then_the_words_make_one_case_with_the_photo(world: TelegramWorld,
                                                                         fake: FakeTelegram) -> None:
    await world.deliver(fake.photo(CHAT, JPEG))
    asked = await world.received()
    assert len(asked) == 1 and "foto" in asked[0] and "waar" in asked[0]
    world.clock.advance(minutes=5)
    got = await world.say("Dit ligt al dagen naast de container op de Amsterdamsestraatweg, grofvuil")
    reference = reference_in(got[0])
    assert [content for _, content in await files_of(world, reference)] == [JPEG]


async def test_a_photo_in_the_same_conversation_joins_the_open_case(world: TelegramWorld, fake: FakeTelegram) -> None:
    reference = reference_in((await world.say("De lantaarnpaal in de Kanaalstraat is kapot"))[0])
    world.clock.advance(minutes=2)
    await world.deliver(fake.photo(CHAT, JPEG))
    got = await world.received()
    assert len(got) == 1 and reference in got[0] and "toegevoegd" in got[0]
    assert len(await files_of(world, reference)) == 1


async def test_a_file_above_the_limit_is_not_fetched_and_the_resident_hears_why(world: TelegramWorld,
                                                                                fake: FakeTelegram) -> None:
    update = fake.document(CHAT, b"%PDF-1.7 ...", "plattegrond.pdf", "application/pdf",
                           caption="Grofvuil naast de container op de Amsterdamsestraatweg", size=15 * 1024 * 1024)
    await world.deliver(update)
    got = await world.received()
    assert len(got) == 1 and "te groot" in got[0] and "10 MB" in got[0]
    assert fake.count("getFile") == 0  # refused before downloading
    assert await files_of(world, reference_in(got[0])) == []


async def test_a_voice_message_is_refused_with_what_to_do_instead(world: TelegramWorld, fake: FakeTelegram) -> None:
    reference = reference_in((await world.say("De lantaarnpaal in de Kanaalstraat is kapot"))[0])
    await world.deliver(fake.voice(CHAT, b"OggS voice"))
    got = await world.received()
    assert len(got) == 1 and reference in got[0] and "foto of een pdf" in got[0]


async def test_a_contact_card_is_not_kept_and_the_resident_hears_what_to_send(world: TelegramWorld,
                                                                             fake: FakeTelegram) -> None:
    """A trial's shared contact card was answered "Uw bericht was leeg"."""
    await world.deliver(fake.contact(CHAT, "+31612345678", "Jan"))
    got = await world.received()
    assert len(got) == 1 and "leeg" not in got[0] and "paar woorden" in got[0] and "niet bewaren" in got[0]
    async with world.bot.db.read() as conn:
        stored = (await conn.execute(select(messages.c.body, messages.c.meta))).all()
    assert stored and all("612345678" not in f"{body}{meta}" and "Jan" not in f"{meta}" for body, meta in stored)


async def test_a_file_we_cannot_keep_as_a_first_message_gets_no_thanks_for_a_photo(world: TelegramWorld,
                                                                                    fake: FakeTelegram) -> None:
    await world.deliver(fake.voice(CHAT, b"OggS voice"))
    got = await world.received()
    assert len(got) == 1 and "foto of een pdf" in got[0] and "paar woorden" in got[0]
    # first what happened to the file, then what to send (a trial read the request before the refusal)
    assert got[0].index("niet bewaren") < got[0].index("paar woorden")
    assert "foto erbij" not in got[0] and "Bedankt voor uw foto" not in got[0]
    await world.deliver(fake.document(CHAT, b"%PDF-1.7 ...", "scan.pdf", "application/pdf", size=15 * 1024 * 1024))
    got = await world.received()
    assert len(got) == 1 and "te groot" in got[0] and "Bedankt voor uw foto" not in got[0]


async def test_a_location_is_kept_with_the_case_and_the_street_is_asked(world: TelegramWorld,
                                                                        fake: FakeTelegram) -> None:
    ack = (await world.say("Er ligt een berg grofvuil naast de container"))[0]
    reference = reference_in(ack)
    assert (await world.case(reference))["wijk"] is None
    await world.deliver(fake.location(CHAT, 52.0907, 5.1214))
    got = await world.received()
    assert len(got) == 1 and reference in got[0] and "locatie bewaard" in got[0] and "postcode" in got[0]
    case = await world.case(reference)
    assert (case["latitude"], case["longitude"]) == (52.0907, 5.1214)


async def test_a_location_first_then_the_words(world: TelegramWorld, fake: FakeTelegram) -> None:
    await world.deliver(fake.location(CHAT, 52.1, 5.08))
    asked = await world.received()
    assert len(asked) == 1 and "locatie" in asked[0] and "postcode" in asked[0]
    reference = reference_in((await world.say("Hier ligt een kapotte fiets al weken tegen het hek"))[0])
    case = await world.case(reference)
    assert (case["latitude"], case["longitude"]) == (52.1, 5.08)


async def test_the_ambtenaar_sees_the_photo_with_the_case_and_opening_it_is_logged(world: TelegramWorld,
                                                                                   fake: FakeTelegram,
                                                                                   tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import os
    import subprocess
    import sys

    from sqlalchemy import select

    from wijkbot.storage import repository
    from wijkbot.storage.tables import audit_log

    await world.deliver(fake.photo(CHAT, JPEG, caption="Grofvuil naast de container op de Amsterdamsestraatweg"))
    reference = reference_in((await world.received())[0])
    env = os.environ | {"WIJKBOT_DATABASE_URL": world.bot.settings.database_url,
                        "WIJKBOT_RULES_DIR": str(world.bot.settings.rules_dir)}
    shown = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "wijkbot", "show", reference], env=env,
                                    capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    line = next(li for li in shown.stdout.splitlines() if "image/jpeg" in li)
    attachment_id = line.split(":")[0].strip()
    case = await world.case(reference)
    async with world.bot.db.read() as conn:
        officer = await repository.officer(conn, case["officer_id"])
    assert officer is not None
    saved = tmp_path / "foto.jpg"
    opened = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "wijkbot", "attachment", attachment_id, str(saved), "--as",
                         officer["email"]], env=env, capture_output=True, text=True, timeout=60)
    assert opened.returncode == 0, opened.stderr
    assert saved.read_bytes() == JPEG
    async with world.bot.db.read() as conn:
        audit = (await conn.execute(select(audit_log))).mappings().all()
    assert [(a["actor"], a["action"], a["case_id"]) for a in audit] == [
        (str(officer["id"]), "bijlage geopend", case["id"])]
