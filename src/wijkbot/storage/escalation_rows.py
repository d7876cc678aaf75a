"""Who a case goes up to: the teamleider of the case's team, the wijkregisseur of its wijk.

Invariants: reads only; an officer counts for a role by officers.role or an officer_roles row; only available
officers with an active place in the team or wijk are named; several: the lowest id (stable, no guessing).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import officer_roles, officer_teams, officer_wijken, officers


async def person_for(conn: AsyncConnection, role: str, team: str | None, wijk: str | None) -> str | None:
    """The name of the teamleider (by team) or wijkregisseur (by wijk); None for other roles or nobody found."""
    if role == "teamleider" and team:
        place = select(officer_teams.c.officer_id).where(officer_teams.c.team == team)
    elif role == "wijkregisseur" and wijk:
        place = select(officer_wijken.c.officer_id).where(officer_wijken.c.wijk == wijk)
    else:
        return None
    extra = select(officer_roles.c.officer_id).where(officer_roles.c.role == role)
    row = (await conn.execute(
        select(officers.c.name).where(officers.c.id.in_(place), officers.c.available.is_(True),
                                      or_(officers.c.role == role, officers.c.id.in_(extra)))
        .order_by(officers.c.id).limit(1)
    )).first()
    return str(row.name) if row else None
