"""The queue page: the person's queues with counts, filters, search and one page of cases.

Filters come by GET from links (the weekly digest links every figure here) or by POST from the page's own form
(the search text may be personal data: never in a URL, so a GET carrying `q` is redirected without it). Every
active filter is shown in a "Filters" line with a button that removes it; filters the form has no field for
travel along as hidden fields, so paging, searching and choosing another filter keep them.
"""

from __future__ import annotations

from aiohttp import web

from wijkbot.domain.access import HANDLING_ROLES
from wijkbot.domain.model import Channel, Kind
from wijkbot.domain.workflow import Status
from wijkbot.services.case_filters import FORM_FILTERS, NOT_SET
from wijkbot.services.queues import AGES
from wijkbot.web.inbox.context import person, services
from wijkbot.web.inbox.filter_labels import chips
from wijkbot.web.inbox.render import language, render
from wijkbot.web.inbox.x_status import x_banner

SELECTS = (*FORM_FILTERS, "age")
HANDLING = {role.value for role in HANDLING_ROLES}


async def index(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther("/inbox/zaken")


async def queue_page(request: web.Request) -> web.Response:
    if request.method != "POST" and "q" in request.query:
        # The search text may be a name, a phone number or an address: it is only taken from the POSTed form,
        # never from a URL (server logs, browser history, a shared link). A link that carries one is sent on
        # without it, so the address bar and the history drop it too; its other filters still hold.
        kept = [(key, value) for key, value in request.query.items() if key != "q"]
        raise web.HTTPSeeOther(str(request.rel_url.with_query(kept)))
    inbox = services(request)
    who = person(request)
    params_in = await request.post() if request.method == "POST" else request.query
    query = inbox.queues.parse(who, params_in)
    shown = await inbox.queues.show(who, query)
    rules = inbox.rules
    lang = await language(request)
    buurten = {b.code: b.name for b in rules.buurten}
    # Whose cases a teamleider can narrow the list to: the people of their own teams (everyone for a beheerder or a
    # wijkregisseur, who look across teams), and "nobody" for the cases no behandelaar has yet.
    profiles = [p for p in await inbox.people.all() if p.active and set(p.roles) & HANDLING]
    colleagues = sorted((p for p in profiles if who.is_beheerder or who.regie_wijken or set(p.teams) & who.teams),
                        key=lambda p: p.name)
    officer_names = {str(p.officer_id): p.name for p in colleagues}  # (another id in a link shows as the id)
    options = {
        "officer": [NOT_SET, *(str(p.officer_id) for p in colleagues)],
        "status": [s.value for s in Status], "kind": [k.value for k in Kind],
        "department": sorted(rules.departments, key=lambda d: rules.departments[d].name),
        "category": sorted(rules.categories, key=lambda c: rules.categories[c].name),
        "wijk": sorted(rules.wijken), "buurt": sorted(buurten, key=lambda code: (buurten[code], code)),
        "channel": [c.value for c in Channel if c is not Channel.CONSOLE], "age": list(AGES),
    }
    # a valid filter with one value shows in its field; every other value is carried in a hidden field
    in_field = {a.key: a.values[0] for a in query.active if a.key in SELECTS and len(a.values) == 1 and a.valid}
    carried = [(a.key, value) for a in query.active if a.key not in in_field for value in a.values]
    params = {key: in_field.get(key, "") for key in SELECTS} | {"q": query.filters.text}
    return await render(request, "queue.html", {
        "page": shown, "queues": inbox.queues.available(who), "options": options, "params": params,
        "filtered": bool(query.active) or bool(query.filters.text), "carried": carried,
        "chips": chips(inbox, lang, query.active, officer_names), "officer_names": officer_names,
        "load_names": {str(p.officer_id): p.name for p in profiles},
        "buurt_names": buurten,
        "problems": [inbox.translator.text(key, lang, **values) for key, values in query.problems],
        "x_banner": await x_banner(inbox, lang),
    }, status=400 if query.problems else 200)
