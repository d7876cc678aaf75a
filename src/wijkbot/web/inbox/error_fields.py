"""Which field on the case page a refused action's message is about (WCAG 3.3.1, 1.3.1).

The page marks that field aria-invalid, adds the message to its aria-describedby and points the error
summary's link at it, so a keyboard or screen-reader user lands on the field to correct. The services only
say what went wrong (a Dutch sentence); a form with a reason or question field next to its choice is told
apart by the words the services use for those ("reden", the question to the resident).
"""

from __future__ import annotations

# The element id of each action's main field (a button or the list when the form has no field).
FIELDS: dict[str, str] = {
    "antwoord": "reply-text", "notitie": "note-text", "oppakken": "claim-button", "toewijzen": "assign-officer",
    "uitnodigen": "invite-officer", "overdragen": "handover-target", "categorie": "category", "status": "status",
    "inplannen": "plan-day", "afhandelen": "outcome", "heropenen": "reopen-reason", "koppelen": "lead",
    "ontkoppelen": "unlink-button", "opnieuw-versturen": "form-opnieuw-versturen", "contact": "contact-reason",
}
REASONS: dict[str, str] = {
    "overdragen": "handover-reason", "categorie": "category-reason", "uitnodigen": "invite-reason",
}
QUESTION_WORDS = ("uw vraag", "nodig heeft")  # services.waiting_question: the question to the resident


def error_field(action: str, message: str, *, stopped: bool = False) -> str:
    """The id of the field the message is about; `stopped`: the resident sent /stop, so a refused reply's
    text waits in the note form (the reply box is not shown)."""
    said = message.casefold()
    if action == "antwoord" and stopped:
        return "note-text"
    if action == "status" and any(word in said for word in QUESTION_WORDS):
        return "status-question"
    if action == "status" and "annuleren" in said:  # cancelling needs a reason (services.actions.cancel)
        return "status-reason"
    if action in REASONS and "reden" in said:
        return REASONS[action]
    return FIELDS.get(action, f"form-{action}")
