"""The digest as an e-mail: multipart/alternative with the plain-text part first and the HTML page second.

Invariants: recipients are ambtenaren (the wijk's wijkregisseurs), never residents; the subject names the wijk
and the week; the message marks itself as automatic (Auto-Submitted), so out-of-office replies stay away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def digest_message(*, subject: str, sender: str, recipients: Sequence[str], text: str, html: str,
                   now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
