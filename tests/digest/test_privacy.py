"""No resident's name, address, phone number, e-mail address, house number or chat id reaches the digest."""

from __future__ import annotations

from sqlalchemy import select

from tests.digest.conftest import Seeder, local
from wijkbot.app import Wijkbot
from wijkbot.domain.weeks import IsoWeek
from wijkbot.storage.tables import contacts
from wijkbot.testing import FrozenClock

PLANTED = ["Jan de Vries", "Vries", "06-12345678", "12345678", "jan.devries@example.org", "example.org",
           "Zamenhofdreef 12", "3562 AB", "3562AB", "Karin Bakker", "Bakker", "Piet", "+31 6 87654321", "87654321",
           "Taagdreef 7b", "NL91ABNA0417164300", "NL91 ABNA", "111 222 333", "222 333",
           "Meneer Jansen", "Jansen", "k.bakker@mail.example"]
LEFT_OUT = {"nl": "[weggelaten]", "en": "[left out]"}


async def test_planted_personal_data_never_reaches_the_digest(digest_bot: Wijkbot, clock: FrozenClock) -> None:
    s = Seeder(digest_bot, clock)
    await s.case("one", local(4, 6, 10), "Mijn naam is Jan de Vries, bel me op 06-12345678 of mail "
                                          "jan.devries@example.org: de lantaarnpaal voor Zamenhofdreef 12 is kapot")
    await s.case("two", local(4, 7, 10), "Er ligt grofvuil bij de Zamenhofdreef 12, postcode 3562 AB. Groeten, "
                                          "Karin Bakker (k.bakker@mail.example)", "x")
    await s.say("two", local(4, 7, 11), "Nog een foto, mijn nummer is +31 6 87654321")
    await s.case("three", local(4, 8, 10), "Ik ben Piet en ik woon op Taagdreef 7b, de stoep ligt open")
    await s.close("one", local(4, 8, 12))
    await s.close("two", local(4, 8, 13))
    await s.close("three", local(4, 8, 14))
    answers = [
        ("one", {"score": 5, "opgelost": True, "toelichting": "Top geholpen! Groeten, Jan de Vries, 06-12345678"}),
        ("two", {"score": 1, "opgelost": False,
                 "toelichting": "Meneer Jansen heeft niets gedaan. Mail k.bakker@mail.example of bel +31 6 87654321"}),
        ("three", {"score": 3, "opgelost": True,
                   "toelichting": "Mijn IBAN is NL91ABNA0417164300 en BSN 111 222 333 voor de schade aan Taagdreef 7b, "
                                  "postcode 3562AB"}),
    ]
    for label, data in answers:
        await s.event(label, local(4, 9, 10), "tevredenheid", data)
    async with digest_bot.db.read() as conn:
        addresses = [r.address for r in await conn.execute(select(contacts.c.address))]
    assert len(addresses) == 3

    for lang in ("nl", "en"):
        rendered = await digest_bot.digests.render("Overvecht", IsoWeek(2026, 15), lang=lang)
        for part in (rendered.html, rendered.text, rendered.subject):
            leaked = [p for p in [*PLANTED, *addresses] if p.casefold() in part.casefold()]
            assert leaked == [], f"{lang}: personal data in the digest: {leaked}"
        # the quotes are there, without the data, and what was left out is said in the reader's language
        assert f'"Meneer {LEFT_OUT[lang]} heeft niets gedaan.' in rendered.text
        assert "Zamenhofdreef" in rendered.text  # a street without a house number is a place, not a person
    assert "[weggelaten]" not in rendered.html + rendered.text  # English


async def test_a_neighbour_named_in_lower_case_and_a_handle_never_reach_the_digest(
        digest_bot: Wijkbot, clock: FrozenClock) -> None:
    s = Seeder(digest_bot, clock)
    await s.case("one", local(4, 6, 10), "Er ligt grofvuil bij de Zamenhofdreef")
    await s.close("one", local(4, 8, 12))
    await s.event("one", local(4, 9, 10), "tevredenheid", {
        "score": 1, "opgelost": False,
        "toelichting": "mijn buurvrouw wilhelmien van wezel en ik zijn het zat, volg mij op wilhelmien_vw voor de "
                       "fotos"})
    for lang in ("nl", "en"):
        rendered = await digest_bot.digests.render("Overvecht", IsoWeek(2026, 15), lang=lang)
        for part in (rendered.html, rendered.text):
            leaked = [p for p in ("wilhelmien", "wezel", "wilhelmien_vw") if p in part.casefold()]
            assert leaked == [], f"{lang}: personal data in the digest: {leaked}"
        w = LEFT_OUT[lang]
        assert f'"mijn buurvrouw {w} en ik zijn het zat, volg mij op {w} voor de fotos"' in rendered.text
