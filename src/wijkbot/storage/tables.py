"""The schema, as SQLAlchemy Core tables. Alembic migrations are the authority for existing databases.

Invariants: an inbound message is unique on (channel, external_id); a case has exactly one lead department
(NOT NULL) and one team; resident contact data (channel address) lives only in `contacts`, so it can be
protected, audited and erased in one place; timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC as _UTC
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

from wijkbot.domain.quotes import mask_contact


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive text, so we re-attach UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        return value.astimezone(_UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UTC = UtcDateTime()

contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("address", String(200), nullable=False),  # personal data: chat id, session id, X user id
    Column("locale", String(10), nullable=False, server_default="nl"),
    Column("opted_out", Boolean, nullable=False, server_default="0"),
    Column("unreachable", Boolean, nullable=False, server_default="0"),
    # After /stop: does the resident still want the final outcome of their cases? (asked with buttons)
    Column("wants_outcome", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTC, nullable=False),
    UniqueConstraint("channel", "address", name="uq_contacts_channel_address"),
)

officers = Table(
    "officers", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("available", Boolean, nullable=False, server_default="1"),
    Column("created_at", UTC, nullable=False),
)

officer_teams = Table(
    "officer_teams", metadata,
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("team", String(100), primary_key=True),
)

officer_wijken = Table(
    "officer_wijken", metadata,
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk", String(100), primary_key=True),
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("category", String(100)),
    Column("suggested_category", String(100)),
    Column("department", String(100), nullable=False),
    Column("team", String(100), nullable=False),
    Column("officer_id", Integer, ForeignKey("officers.id")),
    Column("wijk", String(100)),
    Column("buurt", String(200)),
    Column("buurt_code", String(20)),
    Column("street", String(200)),
    # the house number the first message gives with the street ("Kanaalstraat 120"): two lamps on one street are
    # no duplicates (domain.duplicates.place_match)
    Column("house_number", Integer),
    Column("confidence", Float, nullable=False, server_default="0"),
    Column("triage", Boolean, nullable=False, server_default="0"),
    Column("urgent", Boolean, nullable=False, server_default="0"),
    Column("out_of_scope", Boolean, nullable=False, server_default="0"),
    Column("ambition", String(100)),
    Column("contact_id", Integer, ForeignKey("contacts.id"), nullable=False),
    Column("locale", String(10), nullable=False, server_default="nl"),
    Column("sla_days", Integer, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("updated_at", UTC, nullable=False),
    Column("last_contact_at", UTC, nullable=False),
    Column("closed_at", UTC),
    Column("outcome", Text),
    Column("handover_count", Integer, nullable=False, server_default="0"),
    Column("routing", JSON, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    # A duplicate melding points at the open case it was linked to (same category, same street or buurt, within
    # the configured window); the lead case's outcome is sent to every linked reporter.
    Column("duplicate_of", Integer, ForeignKey("cases.id")),
    # A location the resident shared (WGS84), kept with the case whether or not it could be mapped to a buurt.
    Column("latitude", Float),
    Column("longitude", Float),
    # The term pauses while the case waits on the resident: since when, and how many working days so far.
    Column("waiting_since", UTC),
    Column("paused_days", Integer, nullable=False, server_default="0"),
    Column("escalation_level", Integer, nullable=False, server_default="0"),  # highest escalation step run
    Index("ix_cases_contact_status", "contact_id", "status"),
    Index("ix_cases_duplicate_of", "duplicate_of"),
    Index("ix_cases_team_status", "team", "status"),
    Index("ix_cases_officer_status", "officer_id", "status"),
)

def _masked_body(context: Any) -> str:
    """messages.body_masked of the row being inserted (SQLAlchemy calls this per row, also for a batch)."""
    return mask_contact(str(context.get_current_parameters().get("body") or ""))


messages = Table(
    "messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("contact_id", Integer, ForeignKey("contacts.id")),
    Column("direction", String(10), nullable=False),  # in | out | note
    Column("channel", String(20), nullable=False),
    Column("external_id", String(200)),
    Column("body", Text, nullable=False),
    # The body as a reader who does not handle the case sees it (contact data, IBAN, BSN masked: see
    # domain.quotes.mask_contact): what their search matches, so a search cannot find a case by a masked number.
    # Filled by the column's default on every insert, whoever writes the message (migration 0010 did the old ones).
    Column("body_masked", Text, default=_masked_body),
    Column("author_id", Integer, ForeignKey("officers.id")),
    Column("created_at", UTC, nullable=False),
    Column("meta", JSON, nullable=False),
    UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),
    Index("ix_messages_case", "case_id"),
    Index("ix_messages_contact", "contact_id", "created_at"),  # a photo or location sent before the words
)

# Files residents sent (photos, PDF), kept with the message and its case for the ambtenaar. Only accepted
# files are stored (domain.attachments); a refused one is described in the message's meta instead.
attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("content_type", String(100), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UTC, nullable=False),
    Index("ix_attachments_case", "case_id"),
    Index("ix_attachments_message", "message_id"),
)

case_events = Table(
    "case_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTC, nullable=False),
    Column("actor", String(100), nullable=False),  # "systeem", "bewoner" or an officer's id as text
    Column("type", String(40), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_case_events_case", "case_id"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id")),
    Column("contact_id", Integer, ForeignKey("contacts.id"), nullable=False),
    Column("channel", String(20), nullable=False),
    # ack, question, choice, notice (answers to the resident); reply, update, survey, status, outcome (we start)
    Column("purpose", String(30), nullable=False),
    Column("body", Text, nullable=False),
    Column("actions", JSON, nullable=False),
    Column("status", String(20), nullable=False, server_default="pending"),  # pending | sent | failed | withheld
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTC, nullable=False),
    Column("last_error", Text),
    Column("created_at", UTC, nullable=False),
    Column("sent_at", UTC),
    Column("external_id", String(200)),
    # A channel that splits a long text reports the parts it delivered before a failure; the retry skips them.
    Column("parts_sent", Integer, nullable=False, server_default="0"),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_contact", "contact_id", "status"),
)

followups = Table(
    "followups", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("due_at", UTC, nullable=False),
    Column("status", String(20), nullable=False, server_default="planned"),  # planned | done | skipped | cancelled
    Column("done_at", UTC),
    Index("ix_followups_due", "status", "due_at"),
)

surveys = Table(
    "surveys", metadata,  # the resident's verdict after closing; the token is in the buttons' values
    Column("token", String(40), primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("score", Integer),
    Column("solved", Boolean),
    Column("why", Text),
    Column("answered_at", UTC),
    Index("ix_surveys_case", "case_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTC, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(60), nullable=False),
    Column("case_id", Integer),
    Column("reason", Text),
)

routing_models = Table(
    "routing_models", metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", UTC, nullable=False),
    Column("rules_name", String(100), nullable=False),  # the municipality the model was trained for
    Column("examples", Integer, nullable=False),  # labelled messages it learned from (history + corrections)
    Column("corrections", Integer, nullable=False, server_default="0"),
    Column("source", String(200), nullable=False),  # "export.csv + 12 correcties uit de inbox"
    Column("data", LargeBinary, nullable=False),  # LearnedModels (npz): weights, vocabularies
    Column("active", Boolean, nullable=False, server_default="0"),
    # The import whose history it learned from (the id of the model trained when that export came in; NULL:
    # the history stored before migration 0009), so a retraining of a model chosen again uses its own history.
    Column("history_id", Integer),
    # The newest correction event (case_events.id) it learned from: a correction made later, also a second one
    # of the same case, calls for a retraining.
    Column("corrections_until", Integer),
    Index("ix_routing_models_active", "rules_name", "active"),
)

# Labelled examples the router learns from: the municipality's imported histories (`wijkbot learn`), each kept
# while one of the newest models learned from it. Corrections made in the inbox are not copied here; they are
# read from the cases and their events at training time.
training_examples = Table(
    "training_examples", metadata,
    Column("id", Integer, primary_key=True),
    Column("rules_name", String(100), nullable=False),
    Column("line", Integer, nullable=False),  # line in the imported file, for messages about it
    Column("text", Text, nullable=False),
    Column("street", String(200)),
    Column("pc4", String(10)),
    Column("town", String(100)),
    Column("category", String(100)),
    Column("department", String(100)),
    Column("team", String(100)),
    Column("imported_at", UTC, nullable=False),
    Column("history_id", Integer),  # the import it came with (see routing_models.history_id)
    Index("ix_training_examples_rules", "rules_name"),
    Index("ix_training_examples_history", "rules_name", "history_id"),
)

# The X channel (migration 0005): where each polled stream stands, the monthly request count, the channel's state.
x_cursors = Table(
    "x_cursors", metadata,
    Column("stream", String(20), primary_key=True),  # mentions | dm_events
    Column("since_id", String(30)),  # everything up to this X id is stored
    Column("pending_newest_id", String(30)),  # newest id of a poll still paging
    Column("pagination_token", String(500)),
    Column("updated_at", UTC, nullable=False),
)

x_usage = Table(
    "x_usage", metadata,
    Column("month", String(7), primary_key=True),  # "2026-11", UTC
    Column("reads", Integer, nullable=False, server_default="0"),
    Column("writes", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTC, nullable=False),
)

x_status = Table(
    "x_status", metadata,
    Column("channel", String(20), primary_key=True),
    Column("state", String(20), nullable=False),  # running | paused (budget) | stopped (credentials refused)
    Column("reason", Text),
    Column("changed_at", UTC, nullable=False),
    Column("warned_month", String(7)),  # the month the 80 % warning was logged
)

# Every weekly digest made for a wijk (the archive the inbox shows) and the claim that makes the scheduled send
# happen once: a process sets claimed_at on an unsent row (or inserts it) before it mails, sent_at after.
digests = Table(
    "digests", metadata,
    Column("id", Integer, primary_key=True),
    Column("wijk", String(100), nullable=False),
    Column("week", String(8), nullable=False),  # ISO week, "2026-W47"
    Column("lang", String(10), nullable=False, server_default="nl"),
    Column("generated_at", UTC, nullable=False),
    Column("html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("claimed_at", UTC),  # a process is sending it now
    Column("sent_at", UTC),
    Column("recipients", Integer, nullable=False, server_default="0"),
    Column("sends", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    UniqueConstraint("wijk", "week", name="uq_digests_wijk_week"),
)

# --- the shared inbox (issue 5) ----------------------------------------------------------------------------
# One login per officer. The hash is argon2id; NULL until the officer sets a password through a one-time link.
# `session_epoch` is stored in every session cookie: raising it (disable, new password) ends all sessions.
accounts = Table(
    "accounts", metadata,
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("password_hash", String(200)),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("session_epoch", Integer, nullable=False, server_default="0"),
    Column("created_at", UTC, nullable=False),
    Column("password_set_at", UTC),
)

# Roles beyond officers.role (a behandelaar who is also beheerder); access uses the union of both.
officer_roles = Table(
    "officer_roles", metadata,
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), primary_key=True),
)

# One-time set-password links: only the SHA-256 of the token is stored.
password_links = Table(
    "password_links", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("expires_at", UTC, nullable=False),
    Column("used_at", UTC),
)

# Failed logins, counted per account (e-mail as typed, lower case) and per client address within a window.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTC, nullable=False),
    Column("email", String(320), nullable=False),
    Column("address", String(64), nullable=False),
    Index("ix_login_failures_email", "email", "at"),
    Index("ix_login_failures_address", "address", "at"),
)

# Who has a case open (refreshed by the case page) and since when; also "seen" for @mentions.
case_views = Table(
    "case_views", metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("since", UTC, nullable=False),
    Column("seen_at", UTC, nullable=False),
)

# Colleagues invited to help on a case (any department); they read it and add notes.
case_helpers = Table(
    "case_helpers", metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("invited_by", Integer, ForeignKey("officers.id")),
    Column("at", UTC, nullable=False),
    Index("ix_case_helpers_officer", "officer_id"),
)

# @mentions in internal notes: the mentioned colleague sees the case under "Genoemd" until they open it.
note_mentions = Table(
    "note_mentions", metadata,
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTC, nullable=False),
    Index("ix_note_mentions_officer", "officer_id"),
)
