"""The scorecard web app: portfolio, account, use-case and alert pages, with a JSON API behind each.

It reads the score history through :class:`adoptscore.insights.Scorecard` and holds no scoring
logic. It is read-only: every route is a GET, and the store is copied into memory at start (and
again when the file changes), so scoring runs can keep writing the store while the app serves.
Everything the pages load (style, script) is served by the app itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from adoptscore.insights.account import account_view
from adoptscore.insights.alerts import alerts as find_alerts
from adoptscore.insights.portfolio import PortfolioQuery, portfolio, portfolio_csv, sort_keys
from adoptscore.locations import store_location
from adoptscore.insights.scorecard import BadQuery, NotFound, PageOutOfRange, Scorecard
from adoptscore.insights.use_case import use_case_report
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
               allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The app serving the score history in ``store`` (a DuckDB file written by ``score --store``).

    It answers requests for localhost, 127.0.0.1 and ::1 and for the names in ``allowed_hosts``
    (``*`` for any; see :class:`~adoptscore.web.middleware.AllowedHosts`), and 400 for others.
    """
    holder = CardHolder(store_location(store), rubric, version)
    env = _templates()
    card0 = holder.card
    app = FastAPI(title="adoptscore scorecard",
                  description=f"Use-case adoption scores of {card0.rubric.title or card0.rubric.name} "
                              f"({card0.rubric.name} {card0.version}), read-only.",
                  # the stock API explorers load their scripts from a CDN: /api/docs is our own page instead
                  version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.holder = holder
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # added first, so it runs inside ResponseHeaders: a refused host's 400 carries the headers too
    app.add_middleware(AllowedHosts, hosts=[*LOCAL_HOSTS, *allowed_hosts])
    app.add_middleware(ResponseHeaders, headers=SECURITY_HEADERS)

    # async: it only reads the holder, and a sync dependency costs a trip to a worker thread
    async def current_card(request: Request) -> Scorecard:
        """The scorecard this request reads, the same one for all its parts (a FastAPI dependency,
        resolved once per request): a reload swapping cards mid-request must not make a page mix
        one card's report with another's periods and use cases."""
        request.state.card = card = holder.get()
        return card

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
        hint = "every page and API call is a GET: this app is read-only" if exc.status_code == 405 \
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
                              page, page_size)

    period_param = Query(None, description="period, e.g. 2026-10 (default: the latest)")

    # -- JSON API ---------------------------------------------------------------------------
    @app.get("/api/meta", tags=["api"], summary="Rubric, periods, use cases and filter values")
    async def api_meta(card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        return {"rubric": card.rubric.name, "version": card.version, "title": card.rubric.title,
                "periods": card.periods, "latest": card.latest,
                "use_cases": [{"id": u.id, "title": u.title, "weight": u.weight} for u in card.rubric.use_cases],
                "filters": card.segment_values(), "sort_keys": sort_keys(card),
                "peer_levels": [lvl.label for lvl in card.peer_levels], "min_peers": card.MIN_PEERS}

    @app.get("/api/portfolio", tags=["api"], summary="One page of the portfolio, with color counts")
    def api_portfolio(query: PortfolioQuery = Depends(portfolio_query),
                      card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        return portfolio(card, query).to_dict()

    # {account_id:path}: an id may hold "/" (links encode it as %2F, which the server decodes
    # before routing)
    @app.get("/api/accounts/{account_id:path}", tags=["api"], summary="One account's scorecard")
    def api_account(account_id: str, period: Optional[str] = period_param,
                    card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        return account_view(card, account_id, period).to_dict()

    @app.get("/api/use-cases/{use_case}", tags=["api"], summary="A use case across the portfolio")
    def api_use_case(use_case: str, period: Optional[str] = period_param,
                     card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        return use_case_report(card, use_case, period).to_dict()

    def alert_page(card: Scorecard, period: str | None, use_case: str | None, page: int,
                   page_size: int) -> tuple[list, int, int]:
        found = find_alerts(card, period or None, use_case=use_case or None)
        pages = max(1, -(-len(found) // page_size))
        if page > pages:
            raise PageOutOfRange(f"page {page} does not exist: the alerts have {pages} page(s)",
                                 hint=f"use a page from 1 to {pages}")
        return found, pages, len(found)

    @app.get("/api/alerts", tags=["api"], summary="Use cases whose color dropped in the period")
    def api_alerts(period: Optional[str] = period_param, use_case: Optional[str] = Query(None),
                   page: int = Query(1, ge=1), page_size: int = Query(100, ge=1, le=1000),
                   card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        found, pages, total = alert_page(card, period, use_case, page, page_size)
        shown = found[(page - 1) * page_size: page * page_size]
        return {"period": period or card.latest, "count": total, "page": page, "pages": pages,
                "alerts": [a.to_dict() for a in shown]}

    # -- pages ------------------------------------------------------------------------------
    def render(card: Scorecard, name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(card=card, **context))

    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="Portfolio page")
    def page_portfolio(request: Request, query: PortfolioQuery = Depends(portfolio_query),
                       card: Scorecard = Depends(current_card)) -> HTMLResponse:
        result = portfolio(card, query)
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "sort", "order")]
        return render(card, "portfolio.html", nav="portfolio", p=result, q=query, params=params,
                      csv_query=str(request.query_params))

    @app.get("/portfolio.csv", tags=["pages"], summary="The portfolio selection as CSV (all pages)")
    def page_portfolio_csv(query: PortfolioQuery = Depends(portfolio_query),
                           card: Scorecard = Depends(current_card)) -> PlainTextResponse:
        text = portfolio_csv(card, query)
        name = f"portfolio-{query.period or card.latest}.csv"
        return PlainTextResponse(text, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/accounts/{account_id:path}", response_class=HTMLResponse, tags=["pages"], summary="Account page")
    def page_account(account_id: str, period: Optional[str] = period_param,
                     card: Scorecard = Depends(current_card)) -> HTMLResponse:
        view = account_view(card, account_id, period)
        return render(card, "account.html", nav="", a=view)

    @app.get("/use-cases/{use_case}", response_class=HTMLResponse, tags=["pages"], summary="Use-case page")
    def page_use_case(use_case: str, period: Optional[str] = period_param,
                      card: Scorecard = Depends(current_card)) -> HTMLResponse:
        report = use_case_report(card, use_case, period)
        return render(card, "use_case.html", nav=use_case, r=report)

    @app.get("/alerts", response_class=HTMLResponse, tags=["pages"], summary="Alerts page")
    def page_alerts(period: Optional[str] = period_param, use_case: Optional[str] = Query(None),
                    page: int = Query(1, ge=1), page_size: int = Query(100, ge=1, le=1000),
                    card: Scorecard = Depends(current_card)) -> HTMLResponse:
        found, pages, total = alert_page(card, period, use_case, page, page_size)
        return render(card, "alerts.html", nav="alerts", alerts=found[(page - 1) * page_size: page * page_size], total=total,
                      page=page, pages=pages, period=period or card.latest, use_case=use_case or "")

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(card: Scorecard = Depends(current_card)) -> HTMLResponse:
        spec = app.openapi()
        routes = [(path, method.upper(), op) for path, methods in spec["paths"].items() for method, op in methods.items()]
        return render(card, "api_docs.html", nav="api", routes=routes)

    @app.get("/healthz", include_in_schema=False)
    async def health(card: Scorecard = Depends(current_card)) -> dict[str, Any]:
        # loads: scorecards loaded since start (1 + reloads), so a watcher sees a reload happen;
        # settled: of those, the ones fully warm with the replaced card's memory given back
        return {"status": "ok", "rubric": card.rubric.name, "version": card.version, "warm": card.warmed.is_set(),
                "periods_warm": card.periods_warm, "periods": len(card.periods), "loads": holder.loads,
                "settled": holder.settled}

    return app



def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory`` with several workers (``adoptscore serve --workers N``)."""
    import os

    hosts = os.environ.get("ADOPTSCORE_ALLOWED_HOSTS", "")
    return create_app(os.environ["ADOPTSCORE_STORE"], os.environ.get("ADOPTSCORE_RUBRIC") or None,
                      os.environ.get("ADOPTSCORE_VERSION") or None, allowed_hosts=hosts.split(",") if hosts else ())
