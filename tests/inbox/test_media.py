"""A resident's photo and shared location on the case page: shown to who may read the case, and audited."""

from __future__ import annotations

import uuid

from tests.inbox.conftest import AFVAL, Officer, signed_in
from wijkbot.app import Wijkbot
from wijkbot.domain.model import Attachment, InboundMessage, ReplyAddress
from wijkbot.storage import repository
from wijkbot.storage.tables import audit_log
from wijkbot.testing import Harness, RecordingChannel

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


async def case_with_photo_and_location(bot: Wijkbot, channel: RecordingChannel) -> Harness:
    resident = Harness(bot, channel)
    address = ReplyAddress(channel.name, resident.address)
    resident.last = await bot.inbound.receive(InboundMessage(
        address, uuid.uuid4().hex, AFVAL, bot.clock(),
        attachments=(Attachment("image/png", "foto.png", PNG, len(PNG)),)))
    await bot.inbound.receive(InboundMessage(address, uuid.uuid4().hex, "", bot.clock(), location=(52.0907, 5.1214)))
    await resident.received()
    return resident


async def test_the_ambtenaar_sees_the_photo_and_the_location(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                             channel: RecordingChannel) -> None:
    resident = await case_with_photo_and_location(inbox_bot, channel)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert page.status == 200
    assert "52.0907" in page.text and "5.1214" in page.text
    start = page.html.index('src="/inbox/zaak-bijlage/') + len('src="')
    url = page.html[start:page.html.index('"', start)]
    async with anouk.session.get(anouk.server.make_url(url)) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["Content-Disposition"] == "inline"
        assert await response.read() == PNG
    async with inbox_bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
        opened = (await conn.execute(audit_log.select().where(audit_log.c.action == "bijlage geopend"))).all()
    assert [(r.case_id, r.actor) for r in opened] == [(case["id"], str(case["officer_id"]))]


async def test_a_photo_out_of_reach_does_not_exist(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                   channel: RecordingChannel) -> None:
    resident = await case_with_photo_and_location(inbox_bot, channel)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    start = page.html.index('src="/inbox/zaak-bijlage/') + len('src="')
    url = page.html[start:page.html.index('"', start)]
    gijs = await signed_in(officers, "gijs")  # Veiligheid: not his case
    async with gijs.session.get(gijs.server.make_url(url)) as response:
        assert response.status == 404
    async with officers["nobody"].session.get(gijs.server.make_url(url), allow_redirects=False) as response:
        assert response.status in (302, 303, 401)  # not signed in: to the login page
    async with gijs.session.get(gijs.server.make_url("/inbox/zaak-bijlage/999999")) as response:
        assert response.status == 404
