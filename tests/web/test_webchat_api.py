"""The web chat over real HTTP (aiohttp's test server): what a browser or any client sees."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from wijkbot.app import Wijkbot
from wijkbot.storage.tables import messages as messages_table

SESSION = "sessie-0123456789"


@pytest.fixture
async def client(any_bot: Wijkbot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(any_bot.web_app())) as test_client:
        yield test_client


async def post(client: TestClient, text: str, session: str = SESSION, **extra: object):
    return await client.post("/api/webchat/messages", json={"session": session, "text": text, **extra})


async def messages(client: TestClient, bot: Wijkbot, session: str = SESSION) -> list[dict]:
    await bot.delivery.drain()
    response = await client.get("/api/webchat/messages", params={"session": session})
    assert response.status == 200
    return (await response.json())["messages"]


async def test_post_answers_202_with_reference_and_ack_arrives(client: TestClient, any_bot: Wijkbot) -> None:
    response = await post(client, "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg")
    assert response.status == 202
    reference = (await response.json())["case"]
    assert reference.startswith("UT-")
    got = await messages(client, any_bot)
    assert len(got) == 1
    assert got[0]["case"] == reference
    assert reference in got[0]["text"] and "Stadswerken" in got[0]["text"]
    assert got[0]["sent_at"]


async def test_messages_are_oldest_first_and_after_filters(bot: Wijkbot) -> None:
    async with TestClient(TestServer(bot.web_app())) as c:
        await post(c, "Er ligt grofvuil naast de container in de Kanaalstraat")
        await post(c, "Het ligt er sinds maandag")
        got = await messages(c, bot)
        assert [m["id"] for m in got] == sorted(m["id"] for m in got)
        assert len(got) == 2
        later = await c.get("/api/webchat/messages", params={"session": SESSION, "after": str(got[0]["id"])})
        assert [m["id"] for m in (await later.json())["messages"]] == [got[1]["id"]]


async def test_sessions_see_only_their_own_messages(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "De lantaarnpaal in de Kanaalstraat is kapot", session="andere-sessie-1")
    assert await messages(client, any_bot) == []


async def test_english_session(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "Er ligt grofvuil naast de container in de Kanaalstraat", locale="en")
    got = await messages(client, any_bot)
    assert got[0]["text"].startswith("Thank you")


@pytest.mark.parametrize(("locale", "starts"), [("en-GB", "Thank you"), ("EN", "Thank you"), ("nl-BE", "Bedankt"),
                                                ("fr", "Bedankt")])  # a language we do not offer: the default
async def test_a_browser_language_tag_chooses_the_language(client: TestClient, any_bot: Wijkbot, locale: str,
                                                           starts: str) -> None:
    response = await post(client, "Er ligt grofvuil naast de container in de Kanaalstraat", locale=locale)
    assert response.status == 202
    got = await messages(client, any_bot)
    assert got[0]["text"].startswith(starts)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "geen geldige JSON"),
        (b"[1, 2]", "JSON-object"),
        (b'{"session": "x", "text": "hoi"}', "session"),
        (b'{"session": "sessie-0123456789", "text": 12}', "text"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b'{"session": "sessie-0123456789", "text": "hoi", "locale": 12}', "locale"),
        (b'{"session": "sessie-0123456789", "text": "hoi", "locale": 0}', "locale"),
        (b'{"session": "sessie-0123456789", "text": "hoi", "locale": []}', "locale"),
        (b'{"session": "sessie-0123456789", "text": "hoi", "locale": "<script>"}', "locale"),
    ],
)
async def test_malformed_body_gets_400_with_a_reason(client: TestClient, body: bytes, reason: str) -> None:
    response = await client.post("/api/webchat/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert reason in (await response.json())["error"]


@pytest.mark.parametrize("after", ["-1", "abc", "9" * 30])
async def test_bad_after_gets_400(client: TestClient, after: str) -> None:
    response = await client.get("/api/webchat/messages", params={"session": SESSION, "after": after})
    assert response.status == 400


async def test_too_large_body_gets_413(client: TestClient) -> None:
    response = await client.post("/api/webchat/messages", data=b"x" * (300 * 1024),
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413


async def test_flood_gets_429_with_retry_after_and_keeps_what_came_before(bot: Wijkbot) -> None:
    async with TestClient(TestServer(bot.web_app())) as c:
        statuses = [(await post(c, f"Bericht nummer {i} over grofvuil in de Kanaalstraat")).status for i in range(25)]
        assert statuses[:20] == [202] * 20
        assert statuses[20:] == [429] * 5
        response = await post(c, "nog een")
        assert int(response.headers["Retry-After"]) >= 1
        assert "seconden" in (await response.json())["error"]
        got = await messages(c, bot)
        # Every accepted message is kept; the burst hears the case's acknowledgement and "toegevoegd" once.
        assert [m["text"].split(".")[0] for m in got] == ["Bedankt voor uw melding", "Bedankt"]
        async with bot.db.read() as conn:
            stored = (await conn.execute(select(func.count()).select_from(messages_table).where(
                messages_table.c.direction == "in", messages_table.c.case_id.is_not(None)))).scalar_one()
        assert stored == 20


async def test_a_burst_hears_toegevoegd_once_and_a_later_message_again(bot: Wijkbot, clock) -> None:  # type: ignore[no-untyped-def]
    async with TestClient(TestServer(bot.web_app())) as c:
        for text in ("Er ligt grofvuil in de Kanaalstraat", "Het grofvuil in de Kanaalstraat is een bank",
                     "Bij het grofvuil in de Kanaalstraat staat ook een kast"):
            assert (await post(c, text)).status == 202
        assert [m["text"].split(".")[0] for m in await messages(c, bot)] == ["Bedankt voor uw melding", "Bedankt"]
        clock.advance(minutes=3)
        assert (await post(c, "Nu ligt er ook een matras bij het grofvuil in de Kanaalstraat")).status == 202
        assert [m["text"].split(".")[0] for m in await messages(c, bot)][-1] == "Bedankt"
        assert len(await messages(c, bot)) == 3


async def test_client_message_id_makes_a_resend_idempotent(client: TestClient, any_bot: Wijkbot) -> None:
    first = await post(client, "De lantaarnpaal in de Kanaalstraat is kapot", id="m-1")
    second = await post(client, "De lantaarnpaal in de Kanaalstraat is kapot", id="m-1")
    assert (await first.json())["case"] == (await second.json())["case"]
    assert len(await messages(client, any_bot)) == 1


async def test_chat_page_has_strict_csp_and_health_reports(client: TestClient) -> None:
    page = await client.get("/chat")
    assert page.status == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<main" in await page.text()
    health = await client.get("/health")
    assert health.status == 200
    assert (await health.json())["database"] == "ok"


async def test_a_pressed_button_is_posted_as_a_choice(bot: Wijkbot, clock) -> None:  # type: ignore[no-untyped-def]
    async with TestClient(TestServer(bot.web_app())) as c:
        await post(c, "De lantaarnpaal in de Kanaalstraat is kapot")
        clock.advance(hours=3)
        await post(c, "Er ligt grofvuil naast de container")  # no street: it may be the lamp's case, so asked
        question = (await messages(c, bot))[-1]
        assert [a["label"] for a in question["actions"]][-1] == "Iets nieuws"
        new = question["actions"][-1]
        response = await post(c, new["label"], choice=new["value"])
        assert response.status == 202
        second = (await response.json())["case"]
        assert second != question["case"]
        answer = (await messages(c, bot))[-1]
        assert answer["case"] == second and second in answer["text"]
        too_long = await post(c, "x", choice="case:" + "9" * 80)
        assert too_long.status == 400


async def test_status_typed_in_the_web_chat_is_the_command(client: TestClient, any_bot: Wijkbot) -> None:
    await post(client, "De lantaarnpaal in de Kanaalstraat is kapot")
    response = await post(client, "/status")
    assert response.status == 202
    got = await messages(client, any_bot)
    assert "bij een medewerker" in got[-1]["text"]
    await post(client, "/ Kanaalstraat paal 12")  # not a command: joins the case as text
    assert "toegevoegd" in (await messages(client, any_bot))[-1]["text"]
