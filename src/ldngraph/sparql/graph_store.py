"""HTTP for push: the Graph Store URL of a server, and requests with authentication and time limits.

* :func:`graph_store_urls`: where the SPARQL 1.1 Graph Store of a query endpoint is (Oxigraph ``/query``
  -> ``/store``, Fuseki ``/ds/sparql`` -> ``/ds/data``, Virtuoso ``/sparql`` -> ``/sparql-graph-crud``, or
  ``/sparql-graph-crud-auth`` with credentials), from the URL and the server's ``Server`` header.
* :class:`Transport`: one client for the requests of a push. HTTP basic and digest authentication by
  urllib's handlers; once a server has challenged, later requests carry the answer from the start, so a
  large body is not sent twice. Every request waits at most ``read_timeout`` seconds for each read and
  none starts after the push's overall deadline. Failures are :class:`HttpFailure` (the server
  answered) or :class:`EndpointError` (no answer); no message holds a password or a URL's userinfo.
"""

from __future__ import annotations

import base64
import html
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ldngraph.sparql.credentials import Credentials, strip_userinfo
from ldngraph.sparql.store_interface import EndpointError

#: Statuses meaning "there is no Graph Store (or no such method) at this URL".
NOT_A_GRAPH_STORE = (404, 405, 501)


class HttpFailure(EndpointError):
    """The server answered with an HTTP error status."""

    def __init__(self, url: str, status: int, detail: str, server: str = ""):
        self.url, self.status, self.detail, self.server = url, status, detail, server
        super().__init__(f"{url} answered HTTP {status}" + (f": {detail}" if detail else ""))


@dataclass(frozen=True)
class Answer:
    """A successful HTTP answer."""

    status: int
    server: str
    body: bytes


def is_virtuoso(server: str) -> bool:
    """Whether a ``Server`` header names OpenLink Virtuoso."""
    return "virtuoso" in server.lower()


def graph_store_urls(endpoint: str, server: str = "", *, authenticated: bool = False) -> list[str]:
    """Graph Store Protocol URLs to try, in order, for a SPARQL query endpoint URL.

    ``server`` is the endpoint's ``Server`` header (empty when unknown). Virtuoso's Graph Store is
    ``/sparql-graph-crud`` (anonymous: needs the SPARQL_UPDATE role, which a default install does not
    grant) and ``/sparql-graph-crud-auth`` (HTTP digest, for a user with that role, such as dba).
    """
    parsed = urllib.parse.urlsplit(endpoint)
    path = parsed.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit(parsed._replace(path=new_path, query="", fragment=""))

    virtuoso_path = "/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud"
    if path.endswith(("/sparql", "/sparql-auth")) and (is_virtuoso(server) or path.endswith("-auth")):
        return [at(path.rsplit("/", 1)[0] + virtuoso_path)]
    if path.endswith("/query") and not path.endswith("/sparql/query"):
        return [at(path[: -len("/query")] + ("/store" if path == "/query" else "/data"))]
    if path == "/sparql":  # Virtuoso's path; an unknown server: its Graph Store, then Oxigraph's name
        return [at(virtuoso_path), at("/store")]
    if path.endswith("/sparql"):
        return [at(path[: -len("/sparql")] + "/data")]
    if path == "":
        return [at("/store")]
    return [at(path)]


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest handler that, once challenged, answers the challenge up front on later requests."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr):
        super().__init__(passwords)
        self.challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        _scheme, _, challenge = auth.partition(" ")
        parts = urllib.request.parse_http_list(challenge)
        self.challenge = urllib.request.parse_keqv_list([p for p in parts if p])
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


class _Basic(urllib.request.HTTPBasicAuthHandler):
    """urllib's basic handler that, once a server asked for basic credentials, sends them up front."""

    asked = False

    def retry_http_basic_auth(self, host: str, req: urllib.request.Request, realm: str | None) -> Any:
        self.asked = True
        return super().retry_http_basic_auth(host, req, realm)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.asked and not req.has_header("Authorization"):
            user, password = self.passwd.find_user_password(None, req.full_url)
            if password is not None:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                req.add_unredirected_header("Authorization", f"Basic {token}")
        return req

    https_request = http_request


def _page_text(body: bytes) -> str:
    """An error page as one short line of text (HTML tags dropped)."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|title|h1)\b.*?</\1>", " ", text)
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= 240 else text[:237] + "..."


class Transport:
    """The HTTP client of one push: credentials, a per-read timeout and an overall deadline."""

    def __init__(self, credentials: Credentials | None, *, read_timeout: float = 60.0, deadline: float = 3600.0):
        self.credentials = credentials
        self.read_timeout = read_timeout
        self.deadline_s = deadline
        self.deadline = time.monotonic() + deadline
        self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            handlers = [_Digest(self._passwords), _Basic(self._passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._known: set[str] = set()

    def redact(self, text: str) -> str:
        """``text`` without userinfo and without the password."""
        return self.credentials.redact(text) if self.credentials else strip_userinfo(text)

    def _authorise(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}/"
        if self.credentials is not None and root not in self._known:
            self._passwords.add_password(None, root, self.credentials.user, self.credentials.password)
            self._known.add(root)

    def request(
        self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """Send one request; an :class:`Answer` for 2xx, else :class:`HttpFailure` or :class:`EndpointError`."""
        remaining = self.deadline - time.monotonic()
        shown = self.redact(url.split("?", 1)[0])
        if remaining <= 0:
            raise EndpointError(f"the push did not finish within its deadline of {self.deadline_s:g} s (--deadline)")
        self._authorise(url)
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        timeout = min(self.read_timeout, remaining)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.headers.get("Server", ""), response.read())
        except urllib.error.HTTPError as exc:
            server = exc.headers.get("Server", "") if exc.headers else ""
            detail = _page_text(exc.read() or b"") if exc.fp else ""
            raise HttpFailure(shown, exc.code, self.redact(detail), server) from None
        except ValueError as exc:  # urllib's basic handler meeting a scheme it does not know
            raise HttpFailure(shown, 401, self.redact(str(exc))) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                if time.monotonic() >= self.deadline - 0.01:
                    raise EndpointError(
                        f"{shown} did not answer before the push's deadline of {self.deadline_s:g} s (--deadline)"
                    ) from None
                raise EndpointError(
                    f"{shown} sent nothing for {timeout:g} s (per-read timeout, --timeout): is it overloaded or hung?"
                ) from None
            raise EndpointError(f"cannot reach {shown}: {self.redact(str(reason))}") from None
