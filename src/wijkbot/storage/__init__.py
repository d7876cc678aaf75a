"""Storage: SQLAlchemy 2 Core tables, the database handle, repositories and Alembic migrations.

Rows are not domain objects; repositories translate. Every durable thing lives here: messages, cases,
history, outbox, follow-ups, officers, audit.
"""
