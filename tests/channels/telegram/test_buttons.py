"""Buttons round-trip: the which-case question as an inline keyboard, a press as a choice, idempotent."""

from __future__ import annotations

import re

from tests.channels.telegram.conftest import CHAT, TelegramWorld
from tests.support.fake_telegram import FakeTelegram
from wijkbot.storage import repository

REFERENCE = re.compile(r"UT-\d{4}-\d{6}")


def reference_in(text: str) -> str:
    found = REFERENCE.search(text)
    assert found is not None, text
    return found.group()


async def history(world: TelegramWorld, reference: str) -> list[str]:
    async with world.bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        assert case is not None
        return [e["type"] for e in await repository.events_of(conn, case["id"])]


async def test_a_new_subject_later_is_asked_about_and_something_new_opens_a_case(world: TelegramWorld,
                                                                                  fake: FakeTelegram) -> None:
    first = reference_in((await world.say("De lantaarnpaal in de Kanaalstraat is kapot"))[0])
    world.clock.advance(hours=3)
    question = await world.say("Er ligt grofvuil naast de container")  # no street: it may be the lamp's case
    assert len(question) == 1 and "iets nieuws" in question[0] and first in question[0]
    labels = [label for label, _ in world.last_message().buttons]
    assert labels == [f"{first} · Straatverlichting kapot", "Iets nieuws"]

    got = await world.press("Iets nieuws")
    assert len(got) == 1
    second = reference_in(got[0])
    assert second != first and "Stadswerken" in got[0] and "in welke straat" in got[0]
    assert (await world.case(second))["category"] == "grofvuil"
    assert "bericht verplaatst" in await history(world, first)
    assert len(fake.answered) == 1  # the button's spinner stopped
    edited = [s for s in fake.sent if s.method == "editMessageText"]
    assert len(edited) == 1 and edited[0].text.endswith("✓ Iets nieuws") and edited[0].buttons == []

    again = await world.press("Iets nieuws")  # an old keyboard on another device, pressed once more
    assert len(again) == 1 and "al geregeld" in again[0] and second in again[0]


async def test_pressing_the_open_case_keeps_the_message_there(world: TelegramWorld) -> None:
    first = reference_in((await world.say("De lantaarnpaal in de Kanaalstraat is kapot"))[0])
    world.clock.advance(days=2)
    await world.say("Hij doet het nog steeds niet, ook die ernaast niet")
    got = await world.press(first)
    assert len(got) == 1 and first in got[0] and "hoort nu bij" in got[0]
    async with world.bot.db.read() as conn:
        case = await repository.case_by_reference(conn, first)
        assert case is not None
        messages = [m for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]
    assert "nog steeds" in messages[1]["body"] and not messages[1]["meta"].get("provisional")
    assert len(await repository_cases(world)) == 1


async def repository_cases(world: TelegramWorld) -> list[dict]:
    async with world.bot.db.read() as conn:
        contact = await repository.contact_for_read(conn, "telegram", str(CHAT))
        assert contact is not None
        return [dict(c) for c in await repository.cases_of_contact(conn, contact["id"])]


async def test_a_redelivered_button_press_changes_nothing_more(world: TelegramWorld, fake: FakeTelegram) -> None:
    await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
    world.clock.advance(hours=3)
    await world.say("Er ligt grofvuil naast de container")
    question = world.last_message()
    press = fake.press(question, question.buttons[-1][1])
    await world.deliver(press)
    assert len(await world.received()) == 1
    if world.mode == "webhook":
        assert await fake.deliver(press) == 200
    else:
        fake.offset = 0
        await world.deliver(press)
    assert await world.received() == []
    assert len(await repository_cases(world)) == 2


async def test_three_open_cases_at_most_on_the_buttons_plus_something_new(world: TelegramWorld) -> None:
    for text in ("De lantaarnpaal in de Kanaalstraat is kapot", "Er ligt grofvuil in de Kanaalstraat",
                 "Er zit een gat in de stoep van de Kanaalstraat", "Hondenpoep op het speelveld Kanaalstraat"):
        await world.say(text)
        if world.last_message().buttons:
            await world.press("Iets nieuws")
        world.clock.advance(hours=1)
    assert len(await repository_cases(world)) == 4
    await world.say("En nog iets anders")
    buttons = world.last_message().buttons
    assert len(buttons) == 4 and buttons[-1][0] == "Iets nieuws"
    assert all(REFERENCE.match(label) for label, _ in buttons[:3])


async def test_a_value_that_is_none_of_the_buttons_leaves_the_question_and_its_buttons(world: TelegramWorld,
                                                                                        fake: FakeTelegram) -> None:
    await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
    world.clock.advance(hours=3)
    await world.say("Er ligt grofvuil naast de container")
    question = world.last_message()
    await world.deliver(fake.press(question, "x"))  # a modified client can send any value
    await world.received()
    assert [s for s in fake.sent if s.method in ("editMessageText", "editMessageReplyMarkup")] == []
    got = await world.press("Iets nieuws")  # the real buttons still work
    assert len(got) == 1 and reference_in(got[0])
