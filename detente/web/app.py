"""The ASGI app: pages at /, the JSON API at /api/, static files from the package.

Nothing the pages load comes from the network: figures are inline SVG, and the
API's documentation at /api/docs is a page rendered here from the OpenAPI schema instead of FastAPI's Swagger
UI (which fetches its scripts from a CDN).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from detente.web import api, pages
from detente.web.guard import RequestGuard, served_names
from detente.web.security import HeadAsGet, SecurityHeaders, content_security_policy
from detente.web.store import open_store

STATIC = Path(__file__).parent / "static"


def create_app(db_url: str, writable: bool = False, model: str | None = None, host: str = "127.0.0.1") -> FastAPI:
    """The app over the store at `db_url` (a path or SQLAlchemy URL); read-only unless `writable`.

    `model` is a negotiation file: with it the app also serves /negotiation.
    `host` is the address it is served at: requests naming another host are
    refused (see `detente.web.guard`), as are writes from other sites.
    Raises StoreError when there is no store to serve.
    """
    app = FastAPI(
        title="detente",
        summary="A sourced model of a negotiation, read from news reports.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    app.state.engine = open_store(db_url, writable)
    app.state.writable = writable
    app.state.model = model
    app.add_middleware(RequestGuard, names=served_names(host))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_exception_handler(StarletteHTTPException, not_found_as_page)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.include_router(api.router)
    app.add_api_route("/api/docs", api_docs, methods=["GET"], include_in_schema=False)
    app.add_api_route("/favicon.ico", no_icon, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    app.include_router(pages.router)
    return app


async def not_found_as_page(request: Request, exc: StarletteHTTPException) -> Response:
    """A browser that follows a stale link gets a page with a way back; API clients keep JSON."""
    if exc.status_code == 404 and not request.url.path.startswith("/api/") and request.method == "GET":
        return pages.not_found(request, "There is no such page here.", "overview")
    return await http_exception_handler(request, exc)


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with what was wrong, where; text that cannot be UTF-8 (a lone surrogate) is named, never echoed.

    FastAPI's own handler echoes each bad input, and a lone surrogate in it
    made the response itself fail to encode: a 500 for a client's mistake.
    """
    errors = [_plain_error(error) for error in exc.errors()]
    if any(error["type"] == "string_unicode" for error in errors):
        detail = ("The request holds text that is not valid Unicode (a lone UTF-16 surrogate such as \\ud800). "
                  "Send the report as UTF-8 text.")
        return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
    return JSONResponse({"detail": errors}, status_code=422)


def _plain_error(error: dict) -> dict:
    """The error without the input it quotes (which may not encode), its location and message kept."""
    return {"type": error.get("type"), "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")).encode("utf-8", "replace").decode("utf-8")}


def no_icon() -> Response:
    """Browsers ask for an icon on every visit; answering 'none' keeps 404s out of their logs."""
    return Response(status_code=204)


_docs = Environment(loader=PackageLoader("detente.web", "templates"), autoescape=select_autoescape(default=True))


def api_docs(request: Request) -> HTMLResponse:
    """Every API route with its parameters, from the OpenAPI schema, with no script at all."""
    schema = request.app.openapi()
    routes = [
        {"path": path, "method": method.upper(), "summary": op.get("summary") or "", "parameters": op.get("parameters", [])}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    html = _docs.get_template("api_docs.html.j2").render(title=schema["info"]["title"], routes=routes,
                                                         writable=request.app.state.writable)
    return HTMLResponse(html, headers={"content-security-policy": content_security_policy(html)})
