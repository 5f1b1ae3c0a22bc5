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
"""

from __future__ import annotations

import faulthandler
import hashlib
import multiprocessing
import os
import queue
import re
import signal
import stat
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ldngraph.sparql.sandbox import deny_network, limit_memory
from ldngraph.sparql.store import OxigraphStore, QuerySyntaxError, Store

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
TEXT = "text/plain; charset=utf-8"
#: Words whose presence sends a query to the parser. A query without any of them (case-insensitive, as a
#: plain substring, so fused spellings such as ``SERVICESILENT`` count) cannot be an update, a SERVICE call
#: or a dataset clause to Oxigraph, which reads keywords only as written (no ``\\u`` escapes outside strings).
_SUSPECT = re.compile(r"SERVICE|FROM|LOAD|INSERT|DELETE|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH", re.IGNORECASE)
_REFUSALS_CACHED = 512


@dataclass(frozen=True)
class Refusal:
    """Why the endpoint will not run a query: the HTTP status and a one-line reason."""

    status: int
    reason: str


_SERVICE = Refusal(403, "SERVICE is refused: this endpoint never makes outbound requests")
_LOAD = Refusal(403, "LOAD is refused: this endpoint is read-only and never makes outbound requests")
_UPDATE = Refusal(403, "this endpoint is read-only: SPARQL Update is refused")
_FROM = Refusal(403, "FROM and FROM NAMED are refused: this endpoint serves one graph and never fetches others")


@dataclass(frozen=True)
class ServeConfig:
    """Limits of the server."""

    timeout: float = 30.0
    max_rows: int = 10000
    workers: int = 4
    max_body: int = 1_000_000
    #: address space a worker may add to what it inherits (bytes); 0 for no limit
    worker_memory: int = 1_000_000_000


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


def refusal(sparql: str) -> Refusal | None:
    """Why a query is refused (update, LOAD, SERVICE, FROM, not SPARQL 1.1), or None when it may run.

    Decided on the query as a SPARQL 1.1 parser reads it (rdflib's grammar), never on a keyword scan: a
    query the parser cannot read is refused when it contains a word that could be a refused keyword,
    because a more lenient engine may read ``SERVICESILENT<...>`` as ``SERVICE SILENT <...>``.
    """
    if not _SUSPECT.search(sparql):
        return None
    key = hashlib.sha256(sparql.encode("utf-8", "surrogatepass")).digest()
    if key not in _refusal_cache:
        if len(_refusal_cache) >= _REFUSALS_CACHED:
            _refusal_cache.pop(next(iter(_refusal_cache)))
        _refusal_cache[key] = _parsed_refusal(sparql)
    return _refusal_cache[key]


_refusal_cache: dict[bytes, Refusal | None] = {}


def _parsed_refusal(sparql: str) -> Refusal | None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(sparql)
    except ParseException as query_error:
        try:
            update = parseUpdate(sparql)
        except ParseException:
            return Refusal(400, f"syntax error: not a SPARQL 1.1 query ({_parse_message(query_error)})")
        return _LOAD if any(name == "Load" for name, _ in _parts(update)) else _UPDATE
    except RecursionError:
        return Refusal(400, "query nested too deeply to check")
    for name, part in _parts(tree):
        if name == "ServiceGraphPattern":
            return _SERVICE
        # CompValue.get returns the key itself for a missing key: read the plain dict
        if name.endswith("Query") and dict.get(part, "datasetClause"):
            return _FROM
    return None


def _parse_message(error: Exception) -> str:
    """A parser error as one short line with its position."""
    return " ".join(str(error).split())[:300]


def _parts(tree: Any) -> Any:
    """Every named node (rdflib CompValue) of a parse tree, as (name, node), without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node.name, node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _worker_loop(
    store: Store, disk_path: str | None, conn: Any, max_rows: int, inherited: list[Any], memory: int
) -> None:
    """A persistent worker: answer (query, accept) messages from the pipe until it closes.

    Before the first query it loses the right to open internet sockets and gets its memory cap
    (:mod:`ldngraph.sparql.sandbox`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for handle in inherited:  # the listening socket and other workers' pipes: only the server holds them
        try:
            handle.close()
        except OSError:
            pass
    _drop_sockets(keep=conn.fileno())
    os.environ["RUST_BACKTRACE"] = "0"  # an engine out of memory prints one line, not a backtrace
    faulthandler.disable()  # nor a Python stack: running out of memory is an expected end for a worker
    deny_network()
    if disk_path is not None:
        store = OxigraphStore(disk_path, read_only=True)
    if memory:
        limit_memory(memory)
    while True:
        try:
            sparql, accept = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, sparql, accept, max_rows))


def _drop_sockets(keep: int) -> None:
    """Point every other inherited socket (clients' connections) at /dev/null, so only the server holds them.

    A worker forked while clients are connected would otherwise keep their connections (and a dead
    server's port) open. Linux only (``/proc/self/fd``); elsewhere a no-op.
    """
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in fds:
        if fd in (0, 1, 2, keep, null):
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)


def answer(store: Store, sparql: str, accept: str, max_rows: int) -> tuple[int, str, bytes, bool]:
    """Run one query and format it: (HTTP status, content type, body, truncated)."""
    from ldngraph.sparql.query import format_result

    try:
        refused = refusal(sparql)
        if refused is not None:
            return refused.status, TEXT, refused.reason.encode("utf-8"), False
        result = store.execute(sparql, max_rows=max_rows)
        kind = "graph" if result.kind == "graph" else "select"
        fmt = negotiate(accept, kind)
        if fmt is None:
            return 406, TEXT, f"cannot answer in {accept}".encode(), False
        if result.kind == "ask" and fmt in ("csv", "tsv"):
            fmt = "json"
        body = format_result(result, fmt).encode("utf-8")
        return 200, CONTENT_TYPES[(kind, fmt)], body, result.truncated
    except QuerySyntaxError as exc:
        return 400, TEXT, str(exc).encode("utf-8"), False
    except MemoryError:
        return 503, TEXT, b"query stopped: it needed more memory than a query worker may use", False
    except Exception as exc:  # noqa: BLE001 - the worker must always answer
        return 500, TEXT, f"query failed: {exc}".encode(), False


@dataclass
class _Worker:
    process: Any
    conn: Any


class WorkerPool:
    """Worker processes forked once from the process holding the loaded store (shared copy-on-write).

    A query goes to an idle worker over a pipe. A worker whose query passes the timeout is killed and
    replaced by a fresh fork, so a runaway query costs one worker for ``timeout`` seconds and nothing else.
    """

    def __init__(
        self, store: Store, disk_path: str | None, size: int, max_rows: int, inherited: Any = None, memory: int = 0
    ):
        # imported before any fork, so no worker ever imports (import locks)
        import rdflib.plugins.sparql.parser  # noqa: F401

        from ldngraph.sparql import query  # noqa: F401

        self._memory = memory

        self._inherited = inherited
        self._conns: set[Any] = set()
        self._store = store
        self._disk_path = disk_path
        self._max_rows = max_rows
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe(duplex=True)
        with self._lock:
            inherited = [*self._conns, mine] + ([self._inherited] if self._inherited is not None else [])
            process = self._context.Process(
                target=_worker_loop,
                args=(self._store, self._disk_path, theirs, self._max_rows, inherited, self._memory),
                daemon=True,
            )
            process.start()
            self._all.add(process)
            self._conns.add(mine)
        theirs.close()
        return _Worker(process, mine)

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        with self._lock:
            self._all.discard(worker.process)
            self._conns.discard(worker.conn)
        worker.conn.close()

    def run(self, sparql: str, accept: str, timeout: float) -> tuple[int, str, bytes, bool]:
        """Run a query on an idle worker within ``timeout`` seconds (waiting for a worker included)."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return 503, TEXT, b"server busy: every query worker is taken", False
        healthy = False
        try:
            worker.conn.send((sparql, accept))
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                reply = worker.conn.recv()
                healthy = True
                return reply
            return 503, TEXT, f"query timed out after {timeout:g} s and was stopped".encode(), False
        except (EOFError, OSError):
            if worker.process.exitcode is None:
                worker.process.join(1)
            if self._memory and worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                return 503, TEXT, b"query stopped: it needed more memory than a query worker may use", False
            return 500, TEXT, b"query worker died", False
        finally:
            if not healthy:
                self._retire(worker)
                self.replaced += 1
                if not self._closed:
                    worker = self._spawn()
            if not self._closed:
                self._idle.put(worker)

    def close(self) -> None:
        """Kill every worker."""
        self._closed = True
        with self._lock:
            processes = list(self._all)
            self._all.clear()
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(5)


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

    def run_query(self, sparql: str, accept: str) -> tuple[int, str, bytes, bool]:
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
