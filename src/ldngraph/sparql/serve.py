"""A read-only SPARQL 1.1 Protocol server over one store (standard library HTTP server).

* GET ``?query=`` and POST (``application/x-www-form-urlencoded`` or ``application/sparql-query``),
  on ``/sparql`` (also ``/query`` and ``/``).
* Content negotiation: SPARQL results JSON (default), XML, CSV and TSV; Turtle (default),
  N-Triples or RDF/XML for CONSTRUCT/DESCRIBE.
* CORS for browser tools such as YASGUI.
* Refused, with a clear HTTP error: SPARQL Update (403), LOAD, SERVICE, FROM and FROM NAMED (403:
  the server never makes outbound requests and serves one graph), queries that are not SPARQL 1.1 as a
  standard parser reads them and contain a word that could be one of those keywords (400),
  ``default-graph-uri`` / ``named-graph-uri`` (400), request bodies over the cap (413).
* Queries run in a pool of worker processes forked once from the process holding the loaded store
  (copy-on-write); a worker whose query runs past the timeout is killed and replaced (503) without
  harming the server or other clients. Results are capped at ``max_rows`` (header
  ``X-Ldngraph-Truncated: true`` when cut). Refusals are decided inside the worker (so within the
  timeout) on the parsed query; workers cannot open internet sockets and have a memory cap
  (:mod:`ldngraph.sparql.sandbox`). See docs/decisions/0002, 0005 and 0007.

This module holds the HTTP side (:class:`SparqlServer`, :class:`SparqlHandler`, :func:`make_server`). The
worker pool is in :mod:`ldngraph.sparql.workers`, the refusal check in :mod:`ldngraph.sparql.refusals` and
content negotiation in :mod:`ldngraph.sparql.negotiation`; their names can still be imported from here.
"""

from __future__ import annotations

import sys
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ldngraph.sparql.negotiation import (
    CONTENT_TYPES,
    FORMAT_PARAMS,
    GRAPH_TYPES,
    SELECT_TYPES,
    TEXT,
    negotiate,
)
from ldngraph.sparql.refusals import Refusal, refusal
from ldngraph.sparql.store import OxigraphStore, Store
from ldngraph.sparql.workers import Reply, WorkerPool, answer

__all__ = [
    "CONTENT_TYPES",
    "FORMAT_PARAMS",
    "GRAPH_TYPES",
    "SELECT_TYPES",
    "TEXT",
    "Refusal",
    "Reply",
    "ServeConfig",
    "SparqlHandler",
    "SparqlServer",
    "WorkerPool",
    "answer",
    "make_server",
    "negotiate",
    "refusal",
]


@dataclass(frozen=True)
class ServeConfig:
    """Limits of the server."""

    timeout: float = 30.0
    max_rows: int = 10000
    workers: int = 4
    max_body: int = 1_000_000
    #: address space a worker may add to what it inherits (bytes); 0 for no limit
    worker_memory: int = 1_000_000_000


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server whose queries run in a pool of killable worker processes."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections when many clients connect at once

    def __init__(self, address: tuple[str, int], store: Store, config: ServeConfig):
        super().__init__(address, SparqlHandler)
        self.store = store
        self.config = config
        disk_path = str(store.path) if isinstance(store, OxigraphStore) and store.path is not None else None
        try:
            self.pool = WorkerPool(store, disk_path, config.workers, config.max_rows, inherited=self.socket,
                                   memory=config.worker_memory)
        except BaseException:
            self.server_close()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early is no error of the server's; anything else is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def run_query(self, sparql: str, accept: str) -> Reply:
        """Run a query in a worker process within the timeout; the worker is killed when it runs over."""
        return self.pool.run(sparql, accept, self.config.timeout)

    def shutdown_workers(self) -> None:
        """Kill every worker process."""
        self.pool.close()


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
        self.send_header("Access-Control-Expose-Headers", "X-Ldngraph-Truncated, X-Ldngraph-Notice")
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
        if length < 0:
            self.close_connection = True
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
        accept = FORMAT_PARAMS.get(fields.get("format", [""])[0].lower()) or self.headers.get("Accept") or ""
        status, ctype, body, truncated = self.server.run_query(sparql, accept)
        cut = {"X-Ldngraph-Truncated": "true",
               "X-Ldngraph-Notice": f"results cut at {self.server.config.max_rows} rows (the server's row cap)"}
        self._send(status, ctype, body, cut if truncated else None)


def make_server(
    store: Store, *, host: str = "127.0.0.1", port: int = 7879, config: ServeConfig | None = None
) -> SparqlServer:
    """A server bound to host:port (port 0 picks a free one); call ``serve_forever()`` to run it."""
    return SparqlServer((host, port), store, config or ServeConfig())
