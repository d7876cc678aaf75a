"""Async use cases, one transaction each: intake, delivery, officer actions, follow-ups, resident status."""
