"""`wijkbot simulate`: residents and ambtenaren over weeks of fake time against the real services.

Invariants: deterministic for a seed (one seeded random.Random, a FrozenClock); nothing of our own is mocked
(real intake, delivery, follow-ups, actions on a temporary SQLite database); the report is measured from what
the residents' channel received and from the database, never from what the simulation intended.
"""

from wijkbot.simulation.report import Report, format_report
from wijkbot.simulation.run import simulate

__all__ = ["Report", "format_report", "simulate"]
