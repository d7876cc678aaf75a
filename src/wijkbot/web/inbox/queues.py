"""The queue page: the person's queues with counts, filters, search and one page of cases."""

from __future__ import annotations

from aiohttp import web

from wijkbot.domain.model import Channel, Kind
from wijkbot.domain.workflow import Status
from wijkbot.services.queues import AGES
from wijkbot.web.inbox.context import person, services
from wijkbot.web.inbox.render import render


async def index(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther("/inbox/zaken")


async def queue_page(request: web.Request) -> web.Response:
    inbox = services(request)
    who = person(request)
    # Filters and search come by POST (the search text may be personal data: never in a URL); a queue link by GET.
    params_in = {k: str(v) for k, v in (await request.post()).items()} if request.method == "POST" else request.query
    query = inbox.queues.parse(who, params_in)
    shown = await inbox.queues.show(who, query)
    rules = inbox.rules
    options = {
        "status": [s.value for s in Status], "kind": [k.value for k in Kind],
        "department": sorted(rules.departments, key=lambda d: rules.departments[d].name),
        "category": sorted(rules.categories, key=lambda c: rules.categories[c].name),
        "wijk": sorted(rules.wijken), "buurt": sorted({b.name for b in rules.buurten}),
        "channel": [c.value for c in Channel if c is not Channel.CONSOLE], "age": list(AGES),
    }
    params = {key: params_in.get(key, "") for key in (*options, "q")}
    return await render(request, "queue.html", {
        "page": shown, "queues": inbox.queues.available(who), "options": options, "params": params,
        "filtered": any(params.values()),
    })
