"""A read-only SPARQL 1.1 Protocol server over one store (standard library HTTP server).

* GET ``?query=`` and POST (``application/x-www-form-urlencoded`` or ``application/sparql-query``),
  on ``/sparql`` (also ``/query`` and ``/``); a GET without a query answers the SPARQL 1.1 Service
  Description in Turtle when the client asks for Turtle, else a one-line plain-text hint.
* Content negotiation: SPARQL results JSON (default), XML, CSV and TSV (ASK: JSON and XML only, else 406);
  Turtle (default), N-Triples or RDF/XML for CONSTRUCT/DESCRIBE.
* CORS for browser tools such as YASGUI (the preflight allows the request headers they ask for).
* Refused, with a clear HTTP error: SPARQL Update (403), LOAD, SERVICE, FROM and FROM NAMED (403:
  the server never makes outbound requests and serves one graph), queries that are not SPARQL 1.1 as a
  standard parser reads them and contain a word that could be one of those keywords (400),
  ``default-graph-uri`` other than the served graph and any ``named-graph-uri`` (400), request bodies over
  the cap (413), ambiguous HTTP framing (400/411), PUT/DELETE/PATCH (405).
* Queries run in a pool of worker processes forked once from the process holding the loaded store
  (copy-on-write); a worker whose query runs past the timeout is killed and replaced (503) without
  harming the server or other clients; long queries run aside at a low priority so quick ones keep the pool.
  Results are capped at ``max_rows`` rows and ``max_bytes`` bytes (header ``X-Ldngraph-Truncated: true`` when
  cut). Refusals are decided inside the worker (so within the timeout) on the parsed query; workers cannot open
  internet sockets and have a memory cap (:mod:`ldngraph.sparql.sandbox`). Connections are capped and must
  send each request within the client timeout (:mod:`ldngraph.sparql.http_framing`).
  See docs/decisions/0002, 0005, 0007 and 0010.

This module holds the HTTP side (:class:`SparqlServer`, :class:`SparqlHandler`, :func:`make_server`). The
worker pool is in :mod:`ldngraph.sparql.workers`, the refusal check in :mod:`ldngraph.sparql.refusals`, content
negotiation and the service description in :mod:`ldngraph.sparql.negotiation`, answers under the byte cap in
:mod:`ldngraph.sparql.answer_bytes`; their names can still be imported from here.
"""

from __future__ import annotations

import errno
import io
import socket
import sys
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.sparql.http_framing import ConnectionTable, DeadlineReader, body_length, framing_problem
from ldngraph.sparql.negotiation import (
    CONTENT_TYPES,
    FORMAT_PARAMS,
    GRAPH_TYPES,
    SELECT_TYPES,
    TEXT,
    endpoint_url,
    negotiate,
    service_description,
    wants_description,
)
from ldngraph.sparql.refusals import Refusal, refusal
from ldngraph.sparql.store import OxigraphStore, Store
from ldngraph.sparql.workers import Answer, PoolLimits, Reply, WorkerPool, answer

__all__ = [
    "CONTENT_TYPES",
    "FORMAT_PARAMS",
    "GRAPH_TYPES",
    "SELECT_TYPES",
    "TEXT",
    "Answer",
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

ALLOW = "GET, POST, OPTIONS"
#: Request headers a CORS preflight is told are allowed when it names none (or names malformed ones).
CORS_HEADERS = "Accept, Content-Type, X-Requested-With, Cache-Control, Pragma, If-None-Match, If-Modified-Since"


@dataclass(frozen=True)
class ServeConfig:
    """Limits of the server."""

    timeout: float = 30.0
    max_rows: int = 10000
    workers: int = 4
    max_body: int = 1_000_000
    #: address space a worker may add to what it inherits (bytes); 0 for no limit
    worker_memory: int = 1_000_000_000
    #: bytes of one formatted answer; rows past it are cut (X-Ldngraph-Truncated)
    max_bytes: int = 100_000_000
    #: seconds a connection has to send a complete request (also: longest stall while it reads an answer)
    client_timeout: float = 20.0
    #: connections at once (lowered to fit the open-file limit)
    max_connections: int = 256
    #: a query that has used this many seconds of CPU is long: moved aside, at the lowest CPU priority
    long_after: float = 0.5
    #: long queries at once (None: half the workers, at least 1); more are stopped at ``long_after``
    long_queries: int | None = None
    #: seconds a request waits for a free worker before 503
    queue_wait: float = 10.0
    #: bytes of answers held for clients that have not read them (0: twice ``max_bytes``)
    answer_memory: int = 0

    def pool_limits(self) -> PoolLimits:
        """The worker pool's share of these limits."""
        return PoolLimits(
            max_rows=self.max_rows, max_bytes=self.max_bytes, memory=self.worker_memory, long_after=self.long_after,
            long_queries=self.long_queries if self.long_queries is not None else max(1, self.workers // 2),
            queue_wait=self.queue_wait, answer_memory=self.answer_memory or 2 * self.max_bytes,
        )


def connection_cap(configured: int, processes: int) -> int:
    """At most ``configured`` connections, fewer when the open-file limit leaves no room for them."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return configured
    if soft == getattr(resource, "RLIM_INFINITY", -1):
        return configured
    return min(configured, max(8, soft - 64 - 4 * processes))


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server whose queries run in a pool of killable worker processes."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections when many clients connect at once

    def __init__(self, address: tuple[str, int], store: Store, config: ServeConfig):
        super().__init__(address, SparqlHandler)
        self.store = store
        self.config = config
        limits = config.pool_limits()
        self.connections = ConnectionTable(connection_cap(config.max_connections,
                                                          config.workers + limits.long_queries))
        self._lingering: deque[tuple[float, socket.socket]] = deque()
        try:
            self.triples: int | None = store.triple_count()
        except Exception:  # noqa: BLE001 - only the service description shows it
            self.triples = None
        disk_path = str(store.path) if isinstance(store, OxigraphStore) and store.path is not None else None
        try:
            self.pool = WorkerPool(store, disk_path, config.workers, limits, inherited=self.socket)
        except BaseException:
            self.server_close()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early or too slow is no error of the server's; anything else is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept a connection; out of file descriptors, close the longest-idle one and back off a little.

        Without this the accept loop spun on a listening socket that stayed readable.
        """
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                self.connections.evict_oldest_idle()
                time.sleep(0.05)
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for an admitted connection; a connection over the cap gets 503 and is closed."""
        if self.connections.admit(request):
            super().process_request(request, client_address)
            return
        body = f"server busy: {self.connections.cap} connections are open and busy; retry later\n".encode()
        head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: {TEXT}\r\nContent-Length: {len(body)}\r\n"
                "Retry-After: 1\r\nConnection: close\r\n\r\n").encode()
        try:
            request.setblocking(False)
            request.send(head + body)
            request.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self._lingering.append((time.monotonic() + 1.0, request))  # closed later: an early close may reset
        while len(self._lingering) > 64:
            self._close_lingering(self._lingering.popleft()[1])

    def service_actions(self) -> None:
        """Close turned-away connections whose 503 has had time to arrive."""
        now = time.monotonic()
        while self._lingering and self._lingering[0][0] <= now:
            self._close_lingering(self._lingering.popleft()[1])

    @staticmethod
    def _close_lingering(sock: socket.socket) -> None:
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
        sock.close()

    def shutdown_request(self, request: Any) -> None:
        """Forget a connection as it is closed."""
        self.connections.remove(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Close the listening socket and every connection (their threads end at once)."""
        if hasattr(self, "connections"):  # not yet there when binding the port failed
            self.connections.close_all()
        while getattr(self, "_lingering", None):
            self._close_lingering(self._lingering.popleft()[1])
        super().server_close()

    def run_query(self, sparql: str, accept: str) -> Answer:
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
    _deadline: float | None = None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no per-request log lines."""

    def setup(self) -> None:
        """Reads of the request go through the request deadline."""
        super().setup()
        self.tracked = self.server.connections.get(self.request)
        self.rfile.close()  # the buffered file over the socket: replaced by one that keeps the deadline
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, lambda: self._deadline), 65536)

    def handle_one_request(self) -> None:
        """One request: it must arrive complete within the client timeout."""
        self._deadline = time.monotonic() + self.server.config.client_timeout
        self.server.connections.waiting(self.tracked)
        super().handle_one_request()

    def parse_request(self) -> bool:
        """Parse the request line and headers, then refuse ambiguous framing (and close the connection)."""
        if not super().parse_request():
            return False
        problem = framing_problem(self.headers)
        if problem is not None:
            self.close_connection = True
            self._error(*problem)
            return False
        return True

    def handle_expect_100(self) -> bool:
        """No ``100 Continue`` for a request that is about to be refused for its framing."""
        if framing_problem(self.headers) is not None:
            return True
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by http.server itself (bad request line, unknown method...): one plain-text line.

        The connection closes, so whatever body came with the request is never read as a next request.
        """
        self.close_connection = True
        extra = {"Allow": ALLOW} if code in (405, 501) else None
        self._error(code, message or self.responses.get(code, ("error",))[0], extra)

    def _started(self) -> bool:
        """The request is complete: no read deadline now; writes may stall for the client timeout at most."""
        self._deadline = None
        self.connection.settimeout(self.server.config.client_timeout)
        if not self.server.connections.busy(self.tracked):
            self.close_connection = True  # closed to make room while the request was arriving
            return False
        return True

    def _head(self, status: int, ctype: str, length: int, extra: dict[str, str] | None = None,
              allow_headers: str = CORS_HEADERS) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", ALLOW)
        self.send_header("Access-Control-Allow-Headers", allow_headers)
        self.send_header("Access-Control-Expose-Headers", "X-Ldngraph-Truncated, X-Ldngraph-Notice, Retry-After")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self._head(status, ctype, len(body), extra)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, TEXT, (message + "\n").encode("utf-8"), extra)

    def _skip_body(self) -> bool:
        """Read and drop a body the method does not use (so it is never read as the next request)."""
        length = body_length(self.headers)
        if length > self.server.config.max_body:
            self.close_connection = True
            self._error(413, f"request body too large: at most {self.server.config.max_body} bytes")
            return False
        while length > 0:
            got = len(self.rfile.read(min(length, 65536)))
            if not got:
                self.close_connection = True
                return False
            length -= got
        return True

    def do_OPTIONS(self) -> None:  # noqa: N802
        """CORS preflight: the request headers asked for are allowed when they are plain header names."""
        if not self._skip_body() or not self._started():
            return
        asked = " ".join((self.headers.get("Access-Control-Request-Headers") or "").split())
        names = [n.strip() for n in asked.split(",") if n.strip()]
        plain = names and len(asked) <= 1000 and all(_header_name(n) for n in names)
        allowed = ", ".join(names) if plain else CORS_HEADERS
        self._head(204, "text/plain", 0, {"Access-Control-Max-Age": "86400", "Vary": "Access-Control-Request-Headers"},
                   allow_headers=allowed)

    def do_GET(self) -> None:  # noqa: N802
        """Query given in the URL; without one, the service description (Turtle) or a plain-text hint."""
        if not self._skip_body() or not self._started():
            return
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path not in ("/", "/sparql", "/query"):
            self._error(404, "not found: the SPARQL endpoint is /sparql")
            return
        fields = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        if "update" in fields:
            self._error(403, "this endpoint is read-only: SPARQL Update is refused", {"Allow": ALLOW})
            return
        if "query" not in fields:
            self._describe(parsed.path)
            return
        self._answer(fields)

    def _describe(self, path: str) -> None:
        if wants_description(self.headers.get("Accept") or ""):
            host, port = self.server.server_address[:2]
            url = endpoint_url(self.headers.get("Host"), f"{host}:{port}", path)
            text = service_description(url, ns.GRAPH, self.server.triples)
            self._send(200, "text/turtle; charset=utf-8", text.encode("utf-8"), {"Vary": "Accept"})
            return
        self._send(200, TEXT, b"ldngraph read-only SPARQL endpoint: send ?query=... (GET) or POST a query\n",
                   {"Vary": "Accept"})

    def do_POST(self) -> None:  # noqa: N802
        """Query in a form body or a direct application/sparql-query body."""
        parsed = urllib.parse.urlparse(self.path)
        length = body_length(self.headers)
        if length > self.server.config.max_body:
            self.close_connection = True
            self._error(413, f"request body too large: at most {self.server.config.max_body} bytes")
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self.close_connection = True
            return
        if not self._started():
            return
        if parsed.path not in ("/", "/sparql", "/query", "/update"):
            self._error(404, "not found: the SPARQL endpoint is /sparql")
            return
        text = body.decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fields = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        if ctype == "application/sparql-update" or parsed.path == "/update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        if ctype == "application/sparql-query":
            fields["query"] = [text]
        elif ctype in ("application/x-www-form-urlencoded", ""):
            for key, values in urllib.parse.parse_qs(text, keep_blank_values=True).items():
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

    def _not_allowed(self) -> None:
        if self._skip_body() and self._started():
            self._error(405, f"{self.command} is not allowed: this endpoint is a read-only SPARQL query service",
                        {"Allow": ALLOW})

    do_PUT = do_DELETE = do_PATCH = _not_allowed  # noqa: N815

    def _answer(self, fields: dict[str, list[str]]) -> None:
        queries = fields.get("query", [])
        if len(queries) != 1:
            self._error(400, "give exactly one query")
            return
        problem = dataset_problem(fields.get("default-graph-uri", []), fields.get("named-graph-uri", []))
        if problem is not None:
            self._error(400, problem)
            return
        accept = FORMAT_PARAMS.get(fields.get("format", [""])[0].lower()) or self.headers.get("Accept") or ""
        reply = self.server.run_query(queries[0], accept)
        try:
            self._head(reply.status, reply.ctype, reply.length, reply.headers)
            if self.command != "HEAD":
                for chunk in reply:
                    self._write(chunk)
        finally:
            reply.close()

    def _write(self, data: bytes) -> None:
        """Send bytes as the client takes them; TimeoutError when it takes none for the client timeout."""
        view = memoryview(data)
        while view:
            view = view[self.connection.send(view):]


def dataset_problem(default: list[str], named: list[str]) -> str | None:
    """Why dataset parameters are refused (one line), or None.

    ``default-graph-uri`` may name the graph this endpoint serves (its default graph,
    :data:`ldngraph.core.namespaces.GRAPH`); nothing else is served.
    """
    served = f"this endpoint serves one graph, <{ns.GRAPH}>, as its default graph"
    if named:
        return (f"named-graph-uri is not supported: {served} and has no named graphs "
                f"(leave it out, or send default-graph-uri={ns.GRAPH})")
    others = [iri for iri in default if iri != ns.GRAPH]
    if others:
        shown = "".join(c if c.isprintable() else "?" for c in others[0])[:200]
        return f"default-graph-uri <{shown}> is not supported: {served} (name that one, or none)"
    return None


def _header_name(name: str) -> bool:
    return bool(name) and all(c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~") for c in name)


def make_server(
    store: Store, *, host: str = "127.0.0.1", port: int = 7879, config: ServeConfig | None = None
) -> SparqlServer:
    """A server bound to host:port (port 0 picks a free one); call ``serve_forever()`` to run it."""
    return SparqlServer((host, port), store, config or ServeConfig())
