"""What setting a case to "wacht op bewoner" needs: something the resident can answer.

Invariants: a question typed with the status is sent with the notice (checked like every text for a resident);
without one, a reply of ours must follow the resident's last message (the notice points to it); after the
resident's /stop nothing is sent, so no question is asked for, and one typed is refused rather than lost. A
trial's resident was told "lees ons vorige bericht" when that was the welcome text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.services.action_base import ActionError
from wijkbot.services.officer_texts import check_filled_in, check_text
from wijkbot.storage import casefile


async def check(conn: AsyncConnection, case: Any, asked: str) -> None:
    stopped = await casefile.stop_state(conn, int(case["id"])) is not None
    if asked:
        check_text(asked, "")
        check_filled_in(asked)
        if stopped:
            raise ActionError("de bewoner heeft /stop gestuurd: uw vraag kan niet verstuurd worden. Bewaar hem als "
                              "notitie, en zet de zaak zonder vraag op wacht op bewoner")
    elif not stopped and not (await casefile.last_exchange(conn, int(case["id"])))["answered_by"]:
        raise ActionError("schrijf wat u van de bewoner nodig heeft: de bewoner krijgt die vraag, en weet dan "
                          "waarop we wachten")
