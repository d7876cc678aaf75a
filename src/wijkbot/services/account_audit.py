"""How changes to ambtenaren's accounts are written in the audit log, and read back from it.

Invariants: an account row's reason is the officer's id, then what changed (`account_reason`); rows written
before reasons named the officer hold the e-mail address or the bare id, and `account_subject` understands
all three forms; the actions are Dutch, as the beheerder reads them in the audit view.
"""

from __future__ import annotations

CREATED, CHANGED, ENABLED, DISABLED, LINK = ("account aangemaakt", "rollen en teams gewijzigd", "account aangezet",
                                             "account uitgezet", "wachtwoordlink gemaakt")
ACCOUNT_ACTIONS = frozenset({CREATED, CHANGED, ENABLED, DISABLED, LINK})


def change(label: str, old: list[str], new: list[str]) -> str | None:
    """What changed, like "teams: vth → stadswerken-west"; None when nothing did."""
    if set(old) == set(new):
        return None
    return f"{label}: {', '.join(old) or 'geen'} → {', '.join(new) or 'geen'}"


def account_reason(officer_id: int, detail: str | None = None) -> str:
    """The audit reason of an account row: whose account (the officer id), then what changed."""
    return f"{officer_id}: {detail}" if detail else str(officer_id)


def account_subject(reason: str | None) -> tuple[int | None, str | None, str | None]:
    """(officer id, e-mail, what changed) from an account row's reason (`account_reason`).

    Rows written before account reasons named the officer hold the e-mail address ("account aangemaakt")
    or the bare id; both are understood.
    """
    text = (reason or "").strip()
    head, _, detail = text.partition(": ")
    if head.isdigit():
        return int(head), None, detail or None
    if "@" in text and " " not in text:
        return None, text.lower(), None
    return None, None, text or None
