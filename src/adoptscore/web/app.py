"""The scorecard web app: portfolio, account, use-case and alert pages, with a JSON API behind each.

It reads the score history through :class:`adoptscore.insights.Scorecard` and holds no scoring
logic. The score store is only read: it is copied into memory at start (and again when the file
changes), so scoring runs can keep writing it while the app serves. What people write (overrides,
notes) goes to the team database (:class:`adoptscore.team.store.TeamStore`), beside it. Who may
see and change what is decided by :mod:`adoptscore.web.auth` and the team file. Everything the
pages load (style, script) is served by the app itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

from fastapi import Body, Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from adoptscore.insights.account import AccountView, account_view
from adoptscore.insights.alerts import alert_page as find_alert_page
from adoptscore.insights.portfolio import PortfolioQuery, portfolio, portfolio_csv, sort_keys
from adoptscore.locations import store_location
from adoptscore.insights.scorecard import BadQuery, NotFound, PageOutOfRange, Scorecard
from adoptscore.insights.use_case import use_case_report
from adoptscore.team.config import LoadedTeam
from adoptscore.team.people import User
from adoptscore.team.store import TeamStore, TeamStoreError
from adoptscore.web.auth import CSRF_FIELD, CSRF_HEADER, SignInGate, csrf_ok, csrf_token, refuse_strangers
from adoptscore.web import svg
from adoptscore.web.holder import CardHolder
from adoptscore.web.middleware import LOCAL_HOSTS, AllowedHosts, ResponseHeaders

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _templates() -> Environment:
    # auto_reload off: the templates ship with the package, and checking their mtimes cost a stat per render
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.do"],
                      auto_reload=False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["score"] = lambda v: "–" if v is None else f"{v:.1f}"
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.0f}%"
    env.filters["money"] = lambda v: "" if v is None else f"{v:,.0f}"
    env.filters["count"] = lambda v: "–" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")
    env.filters["color_name"] = lambda c: "no data" if c is None else str(c).replace("_", " ")
    # one path segment or query value: every character but unreserved ones percent-encoded, "/"
    # included (Jinja's urlencode keeps "/", so an account id "emea/acme" linked to a page that
    # does not exist)
    env.filters["part"] = lambda v: quote(str(v), safe="")
    env.globals["svg"] = svg
    env.globals["Markup"] = Markup
    return env


def create_app(store: str | Path, rubric: str | None = None, version: str | None = None,
               allowed_hosts: Iterable[str] = (), *, team: LoadedTeam | None = None,
               team_database: str | Path | None = None, open_to_all: bool = False,
               secure_cookies: bool = False) -> FastAPI:
    """The app serving the score history in ``store`` (a DuckDB file written by ``score --store``).

    It answers requests for localhost, 127.0.0.1 and ::1 and for the names in ``allowed_hosts``
    (``*`` for any; see :class:`~adoptscore.web.middleware.AllowedHosts`), and 400 for others.
    ``team`` (a team file) says how people sign in and what each may see and change; without one,
    the person at this machine is the only user and requests from elsewhere are refused, unless
    ``open_to_all`` (``--insecure-no-auth``). ``team_database`` defaults to the team file's
    setting, else ``<store>.team.sqlite``. ``secure_cookies`` marks the session cookie HTTPS-only.
    """
    location = store_location(store)
    holder = CardHolder(location, rubric, version)
    env = _templates()
    card0 = holder.card
    members = team.team if team else None
    from adoptscore.team.config import team_database as resolve_database

    team_store = TeamStore(resolve_database(location, team, team_database))
    if members:
        _check_scopes(members, card0)
    policy = members.overrides if members else None
    app = FastAPI(title="adoptscore scorecard",
                  description=f"Use-case adoption scores of {card0.rubric.title or card0.rubric.name} "
                              f"({card0.rubric.name} {card0.version}), with the team's overrides and notes.",
                  # the stock API explorers load their scripts from a CDN: /api/docs is our own page instead
                  version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.holder = holder
    app.state.team_store = team_store
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # outermost last: ResponseHeaders > AllowedHosts > sessions > sign-in > routes
    session_hours = members.sign_in.session_hours if members else 12.0
    app.add_middleware(SignInGate, team=members, store=team_store, open_to_all=open_to_all, session_hours=session_hours)
    app.add_middleware(SessionMiddleware, secret_key=team_store.secret(), session_cookie="adoptscore_session",
                       max_age=int(session_hours * 3600), same_site="lax", https_only=secure_cookies)
    if members and members.sign_in.oidc:
        from adoptscore.web.oidc import install_oidc

        install_oidc(app, members.sign_in.oidc, on_login=refuse_strangers(members))
    # added before ResponseHeaders, so it runs inside it: a refused host's 400 carries the headers too
    app.add_middleware(AllowedHosts, hosts=[*LOCAL_HOSTS, *allowed_hosts])
    app.add_middleware(ResponseHeaders, headers=SECURITY_HEADERS)

    # async: it only reads the holder, and a sync dependency costs a trip to a worker thread
    async def current_card(request: Request) -> Scorecard:
        """The scorecard this request reads, the same one for all its parts (a FastAPI dependency,
        resolved once per request): a reload swapping cards mid-request must not make a page mix
        one card's report with another's periods and use cases."""
        request.state.card = card = holder.get()
        return card

    async def current_user(request: Request) -> User:
        """The person asking, as the sign-in gate found them (a FastAPI dependency)."""
        user = request.scope.get("state", {}).get("user")
        if user is None:  # a route outside the gate's public paths always has one: this is a wiring bug
            raise StarletteHTTPException(401, "sign in first")
        return user

    def visible_values(card: Scorecard, user: User) -> dict[str, list[str]]:
        """The filter values a person may see: inside their scope, only the scope's own values (a
        viewer limited to a segment does not learn the other segments' owners)."""
        values = card.segment_values()
        if user.scope.everything:
            return values
        return {column: [v for v in found if column not in user.scope.columns or v in user.scope.columns[column]]
                for column, found in values.items()}

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def error(request: Request, status: int, message: str, hint: str | None = None,
              headers: dict[str, str] | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message, "hint": hint, "status": status}, status_code=status, headers=headers)
        page = env.get_template("error.html").render(status=status, message=message, hint=hint,
                                                     card=getattr(request.state, "card", None) or holder.card, nav="")
        return HTMLResponse(page, status_code=status, headers=headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):  # noqa: ANN001
        return error(request, 404, exc.message, exc.hint)

    @app.exception_handler(BadQuery)
    async def bad_query(request: Request, exc: BadQuery):  # noqa: ANN001
        return error(request, 404 if isinstance(exc, PageOutOfRange) else 400, exc.message, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):  # noqa: ANN001
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return error(request, 400, f"bad value for {where}: {first.get('msg', 'invalid')}",
                     "see /api/docs for the accepted values")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # noqa: ANN001
        message = "page not found" if exc.status_code == 404 else str(exc.detail)
        hint = "see /api/docs for each path's methods" if exc.status_code == 405 \
            else "start from the portfolio: /"
        # a 405 carries the Allow header that names the methods the path takes (RFC 9110 15.5.6)
        return error(request, exc.status_code, message, hint, headers=exc.headers)

    # -- shared query parsing -------------------------------------------------------------
    # async: it only reads memoised values, and a sync dependency costs a trip to a worker thread
    async def portfolio_query(
        request: Request,
        period: Optional[str] = Query(None, description="period, e.g. 2026-10 (default: the latest)"),
        segment: Optional[list[str]] = Query(None), industry: Optional[list[str]] = Query(None),
        tier: Optional[list[str]] = Query(None), owner: Optional[list[str]] = Query(None),
        color: Optional[list[str]] = Query(None, description="overall color: green, yellow, red or no_data (repeatable)"),
        use_case: Optional[str] = Query(None, description="with use_case_color: filter on this use case's color"),
        use_case_color: Optional[list[str]] = Query(None),
        dropped: bool = Query(False, description="only accounts with a use case that dropped color"),
        q: Optional[str] = Query(None, description="search in account names and ids"),
        sort: str = Query("name"), order: str = Query("asc"), page: int = Query(1, ge=1),
        page_size: int = Query(50, le=500, ge=1), card: Scorecard = Depends(current_card),
        user: User = Depends(current_user),
    ) -> PortfolioQuery:
        """The portfolio selection a page, its API and its CSV share (a FastAPI dependency)."""
        filters = {}
        for column, values in (("segment", segment), ("industry", industry), ("tier", tier), ("owner", owner)):
            values = [v for v in (values or []) if v != ""]
            if values:
                filters[column] = values
        # any other segment/attribute column given as a query parameter filters too
        for column in card.segment_values():
            if column not in ("segment", "industry", "tier", "owner") and column in request.query_params:
                values = [v for v in request.query_params.getlist(column) if v != ""]
                if values:
                    filters[column] = values
        if order not in ("asc", "desc"):
            raise BadQuery(f"order must be asc or desc, not {order!r}", hint="order=asc or order=desc")
        return PortfolioQuery(period or None, filters, [c for c in (color or []) if c], use_case or None,
                              [c for c in (use_case_color or []) if c], dropped, q or None, sort, order == "desc",
                              page, page_size, scope=user.scope)

    period_param = Query(None, description="period, e.g. 2026-10 (default: the latest)")

    # -- JSON API ---------------------------------------------------------------------------
    @app.get("/api/meta", tags=["api"], summary="Rubric, periods, use cases and filter values")
    async def api_meta(card: Scorecard = Depends(current_card), user: User = Depends(current_user)) -> dict[str, Any]:
        return {"rubric": card.rubric.name, "version": card.version, "title": card.rubric.title,
                "periods": card.periods, "latest": card.latest, "user": user.to_dict(),
                "use_cases": [{"id": u.id, "title": u.title, "weight": u.weight} for u in card.rubric.use_cases],
                "filters": visible_values(card, user), "sort_keys": sort_keys(card),
                "peer_levels": [lvl.label for lvl in card.peer_levels], "min_peers": card.MIN_PEERS}

    @app.get("/api/portfolio", tags=["api"], summary="One page of the portfolio, with color counts")
    def api_portfolio(query: PortfolioQuery = Depends(portfolio_query),
                      card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        result = portfolio(card, query).to_dict()
        by_account: dict[str, dict[str, str]] = {}
        for (account, uc), override in team_store.active_overrides(r["account_id"] for r in result["rows"]).items():
            by_account.setdefault(account, {})[uc] = override.color
        for row in result["rows"]:
            row["overrides"] = by_account.get(row["account_id"], {})
        return result

    # {account_id:path}: an id may hold "/" (links encode it as %2F, which the server decodes
    # before routing)
    @app.get("/api/accounts/{account_id:path}", tags=["api"], summary="One account's scorecard")
    def api_account(account_id: str, period: Optional[str] = period_param,
                    card: Scorecard = Depends(current_card), user: User = Depends(current_user)) -> dict[str, Any]:
        view, team = account_and_team(card, account_id, period, user)
        return {**view.to_dict(), **team.to_dict()}

    @app.get("/api/use-cases/{use_case}", tags=["api"], summary="A use case across the portfolio")
    def api_use_case(use_case: str, period: Optional[str] = period_param,
                     card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        return use_case_report(card, use_case, period).to_dict()

    def alert_page(card: Scorecard, user: User, period: str | None, use_case: str | None, page: int,
                   page_size: int) -> tuple[list, int, int]:
        # (the page's alerts, pages, alerts in all): only the page is read, never the whole period
        shown, total = find_alert_page(card, period or None, use_case=use_case or None, scope=user.scope,
                                       page=page, page_size=page_size, team=team_store)
        pages = max(1, -(-total // page_size))
        if page > pages:
            raise PageOutOfRange(f"page {page} does not exist: the alerts have {pages} page(s)",
                                 hint=f"use a page from 1 to {pages}")
        return shown, pages, total

    @app.get("/api/alerts", tags=["api"], summary="Use cases whose color dropped in the period")
    def api_alerts(period: Optional[str] = period_param, use_case: Optional[str] = Query(None),
                   page: int = Query(1, ge=1), page_size: int = Query(100, ge=1, le=1000),
                   card: Scorecard = Depends(current_card), user: User = Depends(current_user)) -> dict[str, Any]:
        shown, pages, total = alert_page(card, user, period, use_case, page, page_size)
        return {"period": period or card.latest, "count": total, "page": page, "pages": pages,
                "alerts": [a.to_dict() for a in shown]}

    # -- pages ------------------------------------------------------------------------------
    def render(request: Request, card: Scorecard, name: str, **context: Any) -> HTMLResponse:
        user = request.scope.get("state", {}).get("user")
        return HTMLResponse(env.get_template(name).render(card=card, user=user, csrf=csrf_token(request.session),
                                                          csrf_field=CSRF_FIELD, **context))

    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="Portfolio page")
    def page_portfolio(request: Request, query: PortfolioQuery = Depends(portfolio_query),
                       card: Scorecard = Depends(current_card)) -> Response:
        user = request.state.user
        mine = user.owner
        if mine and not request.query_params and mine in card.segment_values().get("owner", []):
            # an owner's portfolio opens on their own accounts; "any" owner in the form shows all
            return RedirectResponse("/?owner=" + quote(mine, safe=""), status_code=303)
        result = portfolio(card, query)
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "sort", "order")]
        return render(request, card, "portfolio.html", nav="portfolio", p=result, q=query, params=params,
                      csv_query=str(request.query_params), filter_values=visible_values(card, request.state.user),
                      overrides=team_store.active_overrides(r["account_id"] for r in result.rows))

    @app.get("/portfolio.csv", tags=["pages"], summary="The portfolio selection as CSV (all pages)")
    def page_portfolio_csv(query: PortfolioQuery = Depends(portfolio_query),
                           card: Scorecard = Depends(current_card)) -> PlainTextResponse:
        text = portfolio_csv(card, query)
        name = f"portfolio-{query.period or card.latest}.csv"
        return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/accounts/{account_id:path}", response_class=HTMLResponse, tags=["pages"], summary="Account page")
    def page_account(request: Request, account_id: str, period: Optional[str] = period_param,
                     card: Scorecard = Depends(current_card), user: User = Depends(current_user)) -> HTMLResponse:
        view, team = account_and_team(card, account_id, period, user)
        return render(request, card, "account.html", nav="", a=view, team=team)

    @app.get("/use-cases/{use_case}", response_class=HTMLResponse, tags=["pages"], summary="Use-case page")
    def page_use_case(request: Request, use_case: str, period: Optional[str] = period_param,
                      card: Scorecard = Depends(current_card)) -> HTMLResponse:
        report = use_case_report(card, use_case, period)
        return render(request, card, "use_case.html", nav=use_case, r=report)

    @app.get("/alerts", response_class=HTMLResponse, tags=["pages"], summary="Alerts page")
    def page_alerts(request: Request, period: Optional[str] = period_param, use_case: Optional[str] = Query(None),
                    page: int = Query(1, ge=1), page_size: int = Query(100, ge=1, le=1000),
                    card: Scorecard = Depends(current_card)) -> HTMLResponse:
        shown, pages, total = alert_page(card, request.state.user, period, use_case, page, page_size)
        return render(request, card, "alerts.html", nav="alerts", alerts=shown, total=total,
                      page=page, pages=pages, period=period or card.latest, use_case=use_case or "")

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request, card: Scorecard = Depends(current_card)) -> HTMLResponse:
        spec = app.openapi()
        routes = [(path, method.upper(), op) for path, methods in spec["paths"].items() for method, op in methods.items()]
        return render(request, card, "api_docs.html", nav="api", routes=routes)

    # -- the team's writes: overrides and notes ----------------------------------------------
    def account_and_team(card: Scorecard, account_id: str, period: str | None,
                         user: User) -> tuple[AccountView, "TeamPart"]:
        """An account's view and what the team wrote about it, from one read of its rows."""
        rows = card.account_rows(account_id)
        view = account_view(card, account_id, period, scope=user.scope, rows=rows)
        return view, TeamPart(team_store.overrides(view.account_id), team_store.notes(view.account_id),
                              user.may_change(rows[-1]), policy.default_days if policy else 90,
                              policy.max_days if policy else 365)

    async def writer(request: Request, user: User = Depends(current_user)) -> User:
        """A write's author, once its CSRF token checks (a FastAPI dependency of every write).

        A browser's cookie, the proxy's header and the loopback address reach a write from any
        page the person has open, so those writes must show the token only our pages hold."""
        if user.via != "token":
            given = request.headers.get(CSRF_HEADER)
            if given is None and request.headers.get("content-type", "").startswith(
                    ("application/x-www-form-urlencoded", "multipart/form-data")):
                given = (await request.form()).get(CSRF_FIELD)
            if not csrf_ok(request.session, given if isinstance(given, str) else None):
                raise StarletteHTTPException(403, "this form is out of date or did not come from the scorecard "
                                                  "(CSRF token missing or wrong)")
        return user

    def changeable(card: Scorecard, user: User, account_id: str, use_case: str | None) -> None:
        """Refuse a write the person may not make: 404 outside their scope, 403 inside it."""
        rows = card.account_rows(account_id)
        if not rows or not user.may_see(rows[-1]):
            raise NotFound(f"no account {account_id!r} in the scores of {card.rubric.name} {card.version}",
                           hint="check the account id (search the portfolio)")
        if not user.may_change(rows[-1]):
            raise StarletteHTTPException(403, f"{user.email} ({user.role}) may not change account {account_id!r}: "
                                              "owners change their own accounts, admins any")
        if use_case is not None and use_case not in {u.id for u in card.rubric.use_cases}:
            raise BadQuery(f"unknown use case {use_case!r}",
                           hint="use cases: " + ", ".join(u.id for u in card.rubric.use_cases))

    def write(action: Any) -> Any:
        try:
            return action()
        except TeamStoreError as exc:
            raise BadQuery(exc.message, hint=exc.hint) from None

    def set_override(card: Scorecard, user: User, account_id: str, use_case: str, color: str, reason: str,
                     days: int | None) -> Any:
        changeable(card, user, account_id, use_case)
        return write(lambda: team_store.set_override(
            account_id, use_case, color, reason, user.email, days=days or (policy.default_days if policy else 90),
            max_days=policy.max_days if policy else 365))

    def end_override(card: Scorecard, user: User, account_id: str, use_case: str) -> Any:
        changeable(card, user, account_id, use_case)
        return team_store.end_override(account_id, use_case, user.email)

    def add_note(card: Scorecard, user: User, account_id: str, use_case: str | None, body: str) -> Any:
        changeable(card, user, account_id, use_case)
        return write(lambda: team_store.add_note(account_id, use_case, body, user.email))

    def back_to(account_id: str, anchor: str = "team") -> RedirectResponse:
        return RedirectResponse(f"/accounts/{quote(account_id, safe='')}#{anchor}", status_code=303)

    @app.post("/accounts/{account_id:path}/overrides", tags=["pages"], summary="Override a use case's color (form)")
    def form_override(account_id: str, use_case: str = Form(...), color: str = Form(...), reason: str = Form(...),
                      days: Optional[int] = Form(None), card: Scorecard = Depends(current_card),
                      user: User = Depends(writer)) -> RedirectResponse:
        set_override(card, user, account_id, use_case, color, reason, days)
        return back_to(account_id)

    @app.post("/accounts/{account_id:path}/overrides/{use_case}/end", tags=["pages"], summary="End an override (form)")
    def form_end_override(account_id: str, use_case: str, card: Scorecard = Depends(current_card),
                          user: User = Depends(writer)) -> RedirectResponse:
        end_override(card, user, account_id, use_case)
        return back_to(account_id)

    @app.post("/accounts/{account_id:path}/notes", tags=["pages"], summary="Add a note (form)")
    def form_note(account_id: str, body: str = Form(...), use_case: Optional[str] = Form(None),
                  card: Scorecard = Depends(current_card), user: User = Depends(writer)) -> RedirectResponse:
        add_note(card, user, account_id, use_case or None, body)
        return back_to(account_id)

    @app.post("/api/accounts/{account_id:path}/overrides", tags=["api"], status_code=201,
              summary="Override a use case's color: {use_case, color, reason, days}")
    def api_set_override(account_id: str, use_case: str = Body(...), color: str = Body(...), reason: str = Body(...),
                         days: Optional[int] = Body(None), card: Scorecard = Depends(current_card),
                         user: User = Depends(writer)) -> dict[str, Any]:
        return set_override(card, user, account_id, use_case, color, reason, days).to_dict()

    @app.delete("/api/accounts/{account_id:path}/overrides/{use_case}", tags=["api"], summary="End an override")
    def api_end_override(account_id: str, use_case: str, card: Scorecard = Depends(current_card),
                         user: User = Depends(writer)) -> dict[str, Any]:
        ended = end_override(card, user, account_id, use_case)
        if ended is None:
            raise NotFound(f"account {account_id!r} has no override of {use_case!r} in force")
        return {"ended": ended.to_dict()}

    @app.post("/api/accounts/{account_id:path}/notes", tags=["api"], status_code=201,
              summary="Add a note: {body, use_case}")
    def api_note(account_id: str, body: str = Body(...), use_case: Optional[str] = Body(None),
                 card: Scorecard = Depends(current_card), user: User = Depends(writer)) -> dict[str, Any]:
        return add_note(card, user, account_id, use_case, body).to_dict()

    @app.get("/api/audit", tags=["api"], summary="The audit log of overrides, notes and tokens (admins)")
    def api_audit(limit: int = Query(200, ge=1, le=5000), user: User = Depends(current_user)) -> dict[str, Any]:
        if not user.is_admin:
            raise StarletteHTTPException(403, "the audit log is for admins")
        return {"entries": [e.to_dict() for e in team_store.audit(limit=limit)]}

    from adoptscore.team.review import ReviewStore
    from adoptscore.web.review import install_reviews

    install_reviews(app, ReviewStore(team_store), render=render, current_card=current_card,
                    current_user=current_user, writer=writer)

    @app.get("/healthz", include_in_schema=False)
    async def health(card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        # loads: scorecards loaded since start (1 + reloads), so a watcher sees a reload happen;
        # settled: of those, the ones fully warm with the replaced card's memory given back
        return {"status": "ok", "rubric": card.rubric.name, "version": card.version, "warm": card.warmed.is_set(),
                "periods_warm": card.periods_warm, "periods": len(card.periods), "loads": holder.loads,
                "settled": holder.settled}

    return app



class TeamPart:
    """What the team wrote about one account, and whether the reader may write more."""

    def __init__(self, overrides: list, notes: list, can_change: bool, default_days: int, max_days: int):
        self.overrides = overrides
        self.by_use_case = {o.use_case: o for o in overrides}
        self.notes, self.can_change = notes, can_change
        self.default_days, self.max_days = default_days, max_days

    def to_dict(self) -> dict[str, Any]:
        return {"overrides": [o.to_dict() for o in self.overrides], "notes": [n.to_dict() for n in self.notes],
                "can_change": self.can_change}


def _check_scopes(team: Any, card: Scorecard) -> None:
    """Every scope column is one the scores carry (a misspelt one would otherwise hide everything)."""
    from adoptscore.team.config import TeamError

    known = card.segment_values()
    for person in team.people:
        for column in person.scope:
            if column not in known:
                raise TeamError(f"people[{person.email}].scope: the scores have no column {column!r}",
                                hint="scope by one of: " + ", ".join(known))


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory`` with several workers (``adoptscore serve --workers N``)."""
    import os

    from adoptscore.team.config import load_team

    hosts = os.environ.get("ADOPTSCORE_ALLOWED_HOSTS", "")
    team_file = os.environ.get("ADOPTSCORE_TEAM")
    return create_app(os.environ["ADOPTSCORE_STORE"], os.environ.get("ADOPTSCORE_RUBRIC") or None,
                      os.environ.get("ADOPTSCORE_VERSION") or None, allowed_hosts=hosts.split(",") if hosts else (),
                      team=load_team(team_file) if team_file else None,
                      team_database=os.environ.get("ADOPTSCORE_TEAM_DB") or None,
                      open_to_all=os.environ.get("ADOPTSCORE_OPEN_TO_ALL") == "1",
                      secure_cookies=os.environ.get("ADOPTSCORE_SECURE_COOKIES") == "1")
