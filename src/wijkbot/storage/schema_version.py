"""The refusal to touch a database whose schema a newer wijkbot made (kept apart from storage.migrate, so the CLI can
name it without loading Alembic for every command)."""

from __future__ import annotations


class SchemaTooNew(RuntimeError):
    """The database's schema version is not one this wijkbot knows: a newer wijkbot migrated it."""

    def __init__(self, found: str, newest: str) -> None:
        super().__init__(f"de database is bijgewerkt door een nieuwere wijkbot (schemaversie {found}); deze versie "
                         f"kent tot en met {newest}. Start de nieuwere versie, of zet de back-up van vóór de upgrade "
                         "terug (docs/operations.md)")
        self.found = found
        self.newest = newest
