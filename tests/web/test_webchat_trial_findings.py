"""Findings of the user trial on the web chat API: a /taal choice holds, a too long client id is refused
rather than cut (two messages never share one id), the 400 reason carries no parser detail, and the commands
describe what the web chat can do and keeps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from tests.web.test_webchat_api import messages, post
from wijkbot.app import Wijkbot
from wijkbot.storage.tables import messages as message_rows


@pytest.fixture
async def client(any_bot: Wijkbot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(any_bot.web_app())) as test_client:
        yield test_client


async def stored_inbound(bot: Wijkbot) -> int:
    async with bot.db.read() as conn:
        query = select(func.count()).select_from(message_rows).where(message_rows.c.channel == "webchat",
                                                                     message_rows.c.direction == "in")
        return int((await conn.execute(query)).scalar_one())


async def test_taal_en_holds_although_the_page_sends_its_own_locale(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "/taal en", locale="nl")
    assert (await messages(client, any_bot))[-1]["text"] == "Fine, from now on we will write to you in English."
    await post(client, "/status", locale="nl")
    assert (await messages(client, any_bot))[-1]["text"] == "You have no open reports with us at the moment."
    await post(client, "Er ligt grofvuil naast de container in de Kanaalstraat", locale="nl")
    assert (await messages(client, any_bot))[-1]["text"].startswith("Thank you")
    await post(client, "/taal nl", locale="en")
    await post(client, "/status", locale="en")
    assert "bij een medewerker" in (await messages(client, any_bot))[-1]["text"]


async def test_the_page_locale_still_starts_a_new_conversation_in_english(client: TestClient,
                                                                          any_bot: Wijkbot) -> None:
    await post(client, "/status", locale="en")
    assert (await messages(client, any_bot))[-1]["text"] == "You have no open reports with us at the moment."


async def test_a_too_long_client_id_is_refused_and_never_shared(client: TestClient, any_bot: Wijkbot) -> None:
    session = "s" * 100
    first = await post(client, "De lantaarnpaal in de Kanaalstraat is kapot", session=session, id="a" * 120 + "1")
    second = await post(client, "Er ligt grofvuil op de Amsterdamsestraatweg", session=session, id="a" * 120 + "2")
    for response in (first, second):
        assert response.status == 400
        assert (await response.json())["error"] == "id moet een tekst van hoogstens 64 tekens zijn"
    assert await stored_inbound(any_bot) == 0  # refused, not half stored

    texts = (("De lantaarnpaal in de Kanaalstraat is kapot", "1"), ("Hij is nog steeds kapot", "2"))
    longest = [await post(client, text, session=session, id="b" * 63 + end) for text, end in texts]
    assert [r.status for r in longest] == [202, 202]
    ids = [(await r.json())["message_id"] for r in longest]
    assert ids[0] != ids[1]
    assert await stored_inbound(any_bot) == 2


@pytest.mark.parametrize("bad_id", [12, ["m-1"], {"id": 1}])
async def test_an_id_that_is_no_text_is_refused(client: TestClient, bad_id: object) -> None:
    response = await post(client, "De lantaarnpaal in de Kanaalstraat is kapot", id=bad_id)
    assert response.status == 400
    assert "id moet een tekst" in (await response.json())["error"]


async def test_bad_json_reason_has_no_parser_detail(client: TestClient) -> None:
    response = await client.post("/api/webchat/messages", data=b"{not json",
                                 headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] == "geen geldige JSON"


async def test_commands_in_the_web_chat_describe_the_web_chat(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "/start")
    welcome = (await messages(client, any_bot))[-1]["text"]
    await post(client, "/help")
    help_text = (await messages(client, any_bot))[-1]["text"]
    await post(client, "/privacy")
    privacy = (await messages(client, any_bot))[-1]
    for text in (welcome, help_text):
        assert "foto" not in text and "locatie" not in text
        assert "/status" in text
    assert "112" in welcome
    assert "Telegram" not in privacy["text"] and "gespreksnummer" in privacy["text"]
    assert "https://www.utrecht.nl/privacy/" in privacy["text"]
    assert [a["label"] for a in privacy["actions"]] == ["Verwijder mijn gegevens"]


async def test_commands_in_english_describe_the_web_chat(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "/help", locale="en")
    help_text = (await messages(client, any_bot))[-1]["text"]
    await post(client, "/privacy", locale="en")
    privacy = (await messages(client, any_bot))[-1]["text"]
    assert help_text.startswith("Just write what is going on and where.") and "photo" not in help_text
    assert "Telegram" not in privacy and "conversation number" in privacy
