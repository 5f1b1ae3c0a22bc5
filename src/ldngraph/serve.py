"""A read-only SPARQL 1.1 Protocol server over one store (standard library HTTP server).

* GET ``?query=`` and POST (``application/x-www-form-urlencoded`` or ``application/sparql-query``),
  on ``/sparql`` (also ``/query`` and ``/``).
* Content negotiation: SPARQL results JSON (default), XML, CSV and TSV; Turtle (default),
  N-Triples or RDF/XML for CONSTRUCT/DESCRIBE.
* CORS for browser tools such as YASGUI.
* Refused, with a clear HTTP error: SPARQL Update (403), LOAD, SERVICE, FROM and FROM NAMED (403:
  the server never makes outbound requests and serves one graph), ``default-graph-uri`` /
  ``named-graph-uri`` (400), request bodies over the cap (413).
* Each query runs in its own forked worker process, so a query that runs past the timeout is
  killed (503) without harming the server; results are capped at ``max_rows`` (header
  ``X-Ldngraph-Truncated: true`` when cut). See docs/decisions/0002-embedded-store.md.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .store import OxigraphStore, QuerySyntaxError, Store, code_only, query_form

SELECT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "xml",
}
CONTENT_TYPES = {
    ("select", "json"): "application/sparql-results+json",
    ("select", "xml"): "application/sparql-results+xml",
    ("select", "csv"): "text/csv; charset=utf-8",
    ("select", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "ntriples"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml",
}
#: Values of the non-standard ``format`` parameter that some clients send (SPARQLWrapper, YASGUI).
FORMAT_PARAMS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf+xml": "application/rdf+xml",
}
_REFUSED = re.compile(r"(?<![\w:?$])(SERVICE|FROM|LOAD)(?![\w:])", re.IGNORECASE)


@dataclass(frozen=True)
class ServeConfig:
    """Limits of the server."""

    timeout: float = 30.0
    max_rows: int = 10000
    workers: int = 4
    max_body: int = 1_000_000


def negotiate(accept: str, kind: str) -> str | None:
    """The output format for an Accept header and a result kind (select/ask or graph); None if none fits."""
    table = GRAPH_TYPES if kind == "graph" else SELECT_TYPES
    default = "turtle" if kind == "graph" else "json"
    if not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, position, media.lower()))
    for _q, _pos, media in sorted(choices):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def refusal(sparql: str) -> str | None:
    """Why a query is refused (update, LOAD, SERVICE, FROM), or None when it may run."""
    if query_form(sparql) == "UPDATE":
        return "this endpoint is read-only: SPARQL Update is refused"
    found = _REFUSED.search(code_only(sparql))
    if found:
        word = found.group(1).upper()
        if word == "SERVICE":
            return "SERVICE is refused: this endpoint never makes outbound requests"
        if word == "LOAD":
            return "LOAD is refused: this endpoint is read-only and never makes outbound requests"
        return "FROM and FROM NAMED are refused: this endpoint serves one graph and never fetches others"
    return None


def _worker(store: Store, disk_path: str | None, sparql: str, accept: str, max_rows: int, conn: Any) -> None:
    """Run one query in a forked process and send back (status, content type, body, truncated)."""
    from .query import format_result

    try:
        if disk_path is not None:
            store = OxigraphStore(disk_path, read_only=True)
        result = store.execute(sparql, max_rows=max_rows)
        kind = "graph" if result.kind == "graph" else "select"
        fmt = negotiate(accept, kind)
        if fmt is None:
            conn.send((406, "text/plain; charset=utf-8", f"cannot answer in {accept}".encode(), False))
            return
        if result.kind == "ask" and fmt in ("csv", "tsv"):
            fmt = "json"
        body = format_result(result, fmt).encode("utf-8")
        conn.send((200, CONTENT_TYPES[(kind, fmt)], body, result.truncated))
    except QuerySyntaxError as exc:
        conn.send((400, "text/plain; charset=utf-8", str(exc).encode("utf-8"), False))
    except Exception as exc:  # noqa: BLE001 - the worker must always answer
        conn.send((500, "text/plain; charset=utf-8", f"query failed: {exc}".encode(), False))
    finally:
        conn.close()


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that runs each query in a killable worker process."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store: Store, config: ServeConfig):
        super().__init__(address, SparqlHandler)
        self.store = store
        self.config = config
        self.disk_path = str(store.path) if isinstance(store, OxigraphStore) and store.path is not None else None
        self.slots = threading.BoundedSemaphore(max(1, config.workers))
        self._children: set[Any] = set()
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("fork")

    def run_query(self, sparql: str, accept: str) -> tuple[int, str, bytes, bool]:
        """Run a query in a worker process within the timeout; kill the worker when it runs over."""
        if not self.slots.acquire(timeout=self.config.timeout):
            return 503, "text/plain; charset=utf-8", b"server busy: too many queries running", False
        try:
            receive, send = self._context.Pipe(duplex=False)
            child = self._context.Process(
                target=_worker,
                args=(self.store, self.disk_path, sparql, accept, self.config.max_rows, send),
                daemon=True,
            )
            with self._lock:
                child.start()
                self._children.add(child)
            send.close()
            try:
                if receive.poll(self.config.timeout):
                    try:
                        return receive.recv()
                    except EOFError:
                        return 500, "text/plain; charset=utf-8", b"query worker died", False
                message = f"query timed out after {self.config.timeout:g} s and was stopped"
                return 503, "text/plain; charset=utf-8", message.encode(), False
            finally:
                if child.is_alive():
                    child.kill()
                child.join(5)
                receive.close()
                with self._lock:
                    self._children.discard(child)
        finally:
            self.slots.release()

    def shutdown_workers(self) -> None:
        """Kill every running worker process."""
        with self._lock:
            for child in list(self._children):
                if child.is_alive():
                    child.kill()
                child.join(5)
            self._children.clear()


class SparqlHandler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol, query operation only."""

    server: SparqlServer
    server_version = "ldngraph-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no per-request log lines."""

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Expose-Headers", "X-Ldngraph-Truncated")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), extra)

    def do_OPTIONS(self) -> None:  # noqa: N802
        """CORS preflight."""
        self._send(204, "text/plain", b"", {"Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:  # noqa: N802
        """Query given in the URL."""
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path not in ("/", "/sparql", "/query"):
            self._error(404, "not found: the SPARQL endpoint is /sparql")
            return
        fields = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        if "update" in fields:
            self._error(403, "this endpoint is read-only: SPARQL Update is refused", {"Allow": "GET, POST, OPTIONS"})
            return
        if "query" not in fields:
            self._send(200, "text/plain; charset=utf-8",
                       b"ldngraph read-only SPARQL endpoint: send ?query=... (GET) or POST a query\n")
            return
        self._answer(fields)

    def do_POST(self) -> None:  # noqa: N802
        """Query in a form body or a direct application/sparql-query body."""
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path not in ("/", "/sparql", "/query", "/update"):
            self._error(404, "not found: the SPARQL endpoint is /sparql")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(400, "bad Content-Length")
            return
        if length > self.server.config.max_body:
            self.close_connection = True
            self._error(413, f"request body too large: at most {self.server.config.max_body} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fields = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        if ctype == "application/sparql-update" or parsed.path == "/update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        if ctype == "application/sparql-query":
            fields["query"] = [body]
        elif ctype in ("application/x-www-form-urlencoded", ""):
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                fields.setdefault(key, []).extend(values)
        else:
            self._error(415, f"unsupported Content-Type {ctype}: use application/sparql-query or a form")
            return
        if "update" in fields:
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        if "query" not in fields:
            self._error(400, "missing query parameter")
            return
        self._answer(fields)

    do_HEAD = do_GET  # noqa: N815

    def _answer(self, fields: dict[str, list[str]]) -> None:
        queries = fields.get("query", [])
        if len(queries) != 1:
            self._error(400, "give exactly one query")
            return
        if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
            self._error(400, "default-graph-uri and named-graph-uri are not supported: this endpoint serves one graph")
            return
        sparql = queries[0]
        reason = refusal(sparql)
        if reason:
            self._error(403, reason)
            return
        accept = FORMAT_PARAMS.get(fields.get("format", [""])[0].lower()) or self.headers.get("Accept") or ""
        status, ctype, body, truncated = self.server.run_query(sparql, accept)
        self._send(status, ctype, body, {"X-Ldngraph-Truncated": "true"} if truncated else None)


def make_server(
    store: Store, *, host: str = "127.0.0.1", port: int = 7879, config: ServeConfig | None = None
) -> SparqlServer:
    """A server bound to host:port (port 0 picks a free one); call ``serve_forever()`` to run it."""
    return SparqlServer((host, port), store, config or ServeConfig())
