"""Who may talk to the app: requests for this app's own address, and writes from its own pages only.

The app binds to 127.0.0.1 and has no login, so its threat is not a remote
attacker reaching the port but a web page in the user's own browser:

- DNS rebinding: a site points its own name at 127.0.0.1, and its script
  then reads (or, with `--writable`, writes) the store through the browser.
  The request carries the foreign name in `Host`, so every request whose
  Host is not an address the app serves (the bound host, or a loopback name)
  is refused.
- Cross-site writes: a foreign page posts a form or a `fetch` to
  http://127.0.0.1:8000/api/documents. Browsers say where such a request
  comes from (`Sec-Fetch-Site`, `Origin`, `Referer`), so a write whose
  origin is another site is refused. Clients that are not browsers (curl,
  scripts) send none of these headers and may write.

When the app binds every interface (0.0.0.0, ::) the names it is reached by
cannot be known, so Host is not checked; writes from other origins still are.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERY_INTERFACE = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})  # "none": typed in the address bar, a bookmark


def served_names(bind_host: str) -> frozenset[str] | None:
    """The host names a request may carry for an app bound to `bind_host`; None: any (every interface)."""
    host = bind_host.strip().strip("[]").lower()
    if host in EVERY_INTERFACE:
        return None
    return LOOPBACK_NAMES | {host}


def host_name(value: str) -> str:
    """'LocalHost:8000' → 'localhost', '[::1]:8000' → '::1': the name without its port."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


class RequestGuard:
    """Refuses requests for a foreign Host (403) and writes from a foreign origin (403), with the reason."""

    def __init__(self, app: ASGIApp, names: frozenset[str] | None) -> None:
        self.app = app
        self.names = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self.refusal(scope)
            if refusal is not None:
                await _refuse(send, refusal)
                return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> str | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.names is not None and host_name(host) not in self.names:
            return (
                f"This app does not answer for the host {host!r}: open it at http://127.0.0.1 or http://localhost "
                "(with its port). A page that reached it under another name may be a DNS-rebinding attack."
            )
        if scope["method"] in SAFE_METHODS:
            return None
        return _cross_site_write(headers, host)


def _cross_site_write(headers: dict[str, str], host: str) -> str | None:
    """Why a write is refused when a browser says it comes from another site; None when it does not."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in SAME_SITE_FETCHES:
        return f"Refused a write sent from another site (Sec-Fetch-Site: {fetch_site}). Add reports from this app's own pages or with curl."
    source = headers.get("origin") or headers.get("referer")
    if source is None:
        return None  # not a browser: curl and scripts send no origin
    if urlsplit(source).netloc.lower() != host.lower():
        return f"Refused a write from the origin {source!r}: this app takes writes only from its own pages ({host})."
    return None


async def _refuse(send: Send, message: str) -> None:
    body = json.dumps({"detail": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
