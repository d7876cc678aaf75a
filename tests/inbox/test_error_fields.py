"""A refused action's message is tied to the field it is about (WCAG 3.3.1, 1.3.1).

What a screen-reader user notices: the field is announced as invalid with the message as its description,
the error summary's link lands on that field (not on the section around it), the message is announced once
(one role=alert), and what they chose in a list is still chosen.
"""

from __future__ import annotations

import re

import pytest

from tests.inbox.conftest import AFVAL, Officer, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.testing import RecordingChannel
from wijkbot.web.inbox.error_fields import error_field


def tag(html: str, element_id: str) -> str:
    found = re.search(rf'<(?:textarea|select|input|button)\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert found, f"no field #{element_id}"
    return found.group(0)


def assert_tied(html: str, action: str, field: str) -> None:
    element = tag(html, field)
    assert 'aria-invalid="true"' in element, element
    described = re.search(r'aria-describedby="([^"]*)"', element)
    assert described and f"error-{action}" in described.group(1).split(), element
    assert f'id="error-{action}"' in html
    assert re.search(rf'id="error-summary"[^>]*>.*?<a href="#{field}">', html, re.S), "summary link"
    assert html.count('role="alert"') == 1  # the summary only: the message is announced once
    assert html.count('aria-invalid="true"') == 1


@pytest.mark.parametrize(("action", "fields", "field"), [
    ("overdragen", {"target": "dept:vth", "reason": " "}, "handover-reason"),
    ("overdragen", {"target": "team:stadswerken-west", "reason": "Hoort hier"}, "handover-target"),
    ("categorie", {"category": "fietswrak", "reason": ""}, "category-reason"),
    ("antwoord", {"reply": " "}, "reply-text"),
    ("afhandelen", {"outcome": ""}, "outcome"),
    ("inplannen", {"day": ""}, "plan-day"),
    ("koppelen", {"lead": "UT-0000-0"}, "lead"),
    ("status", {"status": "geannuleerd", "reason": ""}, "status-reason"),
])
async def test_the_error_is_tied_to_its_field(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                              channel: RecordingChannel, action: str, fields: dict[str, str],
                                              field: str) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    refused = await anouk.act(resident.reference, action, **fields)
    assert refused.status in (400, 409), refused.status
    assert_tied(refused.html, action, field)


async def test_a_chosen_option_stays_chosen_after_an_error(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                          channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    refused = await anouk.act(resident.reference, "overdragen", target="dept:vth", reason=" ")
    assert re.search(r'<option value="dept:vth"\s*selected>', refused.html)
    refused = await anouk.act(resident.reference, "categorie", category="fietswrak", reason="")
    assert re.search(r'<option value="fietswrak"\s*selected>', refused.html)
    assert not re.search(r'<option value="grofvuil"\s*selected>', refused.html)


async def test_contact_reason_is_tied_to_its_field(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                  channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    olaf = await signed_in(officers, "olaf")  # a beheerder sees contact details only with a reason
    page = await olaf.get(f"/inbox/zaak/{resident.reference}")
    refused = await olaf.post(f"/inbox/zaak/{resident.reference}/contact", {"csrf": page.field("csrf"), "reason": ""})
    assert refused.status == 400
    assert_tied(refused.html, "contact", "contact-reason")


def test_which_field_a_message_is_about() -> None:
    assert error_field("heropenen", "geef een reden om de zaak te heropenen") == "reopen-reason"
    assert error_field("uitnodigen", "kies een collega met een actief account") == "invite-officer"
    assert error_field("status", "schrijf wat u van de bewoner nodig heeft: ...") == "status-question"
    assert error_field("antwoord", "de bewoner heeft /stop gestuurd", stopped=True) == "note-text"
    assert error_field("onbekend", "iets") == "form-onbekend"
