"""Outgoing e-mail over SMTP (the weekly digest): the Mailer port for a real mail server.

Invariants: smtplib runs in a worker thread (asyncio.to_thread), so a slow server never blocks the event loop;
STARTTLS is used when configured and refused servers fail loudly (no silent fallback to plain text); the
password is a SecretStr, read only when logging in and never logged; every failure becomes MailFailure with a
reason that names the server, not the message.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from pydantic import SecretStr

from wijkbot.ports import MailFailure


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    host: str
    port: int = 587
    user: str | None = None
    password: SecretStr | None = None
    starttls: bool = True
    timeout: float = 30.0

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.user:
                    server.login(self.user, self.password.get_secret_value() if self.password else "")
                refused = server.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailFailure(f"mail server {self.host}:{self.port}: {type(error).__name__}: {error}") from error
        if refused:
            raise MailFailure(f"mail server {self.host}:{self.port} refused {len(refused)} recipient(s)")
