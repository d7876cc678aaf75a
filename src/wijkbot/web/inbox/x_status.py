"""What the inbox says about the X channel: a calm banner when its budget runs low (80 %), when it is paused (the
budget is used up) or stopped (X refused the credentials), and which way a reply to an X case will leave.

Invariants: nothing is shown when X is switched off (the composition root passes no guard) or when all is well;
the texts come from the X channel's own services (`XGuard.health`, `XReplies.preview`), so the inbox says what
the channel will do; the banner carries no resident data (counts, a state and a reason only).
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkbot.services.x_guard import PAUSED, STOPPED
from wijkbot.services.x_replies import ReplyPreview
from wijkbot.web.inbox.context import InboxServices


@dataclass(frozen=True, slots=True)
class Banner:
    state: str  # "warning", "paused" or "stopped"
    lines: tuple[str, ...]


async def x_banner(inbox: InboxServices, lang: str) -> Banner | None:
    """The X banner for an inbox page, or None (X off, or running within its budget)."""
    if inbox.x_guard is None:
        return None
    health = await inbox.x_guard.health(lang)
    if health.state == STOPPED:
        return Banner(STOPPED, (health.text,))
    if health.state == PAUSED:
        return Banner(PAUSED, (health.text, health.budget_text))
    if health.budget.state == "warning":
        return Banner("warning", (health.budget_text,))
    return None


async def x_route(inbox: InboxServices, reference: str, lang: str) -> ReplyPreview | None:
    """For an X case: DM or public, with the exact public text; None for any other case (or without X)."""
    if inbox.x_replies is None:
        return None
    return await inbox.x_replies.preview(reference, lang)
