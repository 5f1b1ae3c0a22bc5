"""The endpoint's query workers: processes forked once from the process holding the loaded store.

The in-memory store is shared copy-on-write; an on-disk store is reopened read-only in each worker. A request
thread hands ``(query, Accept)`` to an idle worker over a pipe; a worker whose query runs past the timeout is
killed (SIGKILL) and replaced by a fresh fork. Right after the fork a worker lets go of everything of the
server's (listening socket, other workers' pipes, clients' connections), loses the right to open internet
sockets and gets a memory cap (:mod:`ldngraph.sparql.sandbox`). See docs/decisions/0005 and 0007.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import queue
import signal
import stat
import threading
import time
from dataclasses import dataclass
from typing import Any

from ldngraph.sparql.negotiation import CONTENT_TYPES, TEXT, negotiate
from ldngraph.sparql.refusals import refusal
from ldngraph.sparql.sandbox import deny_network, limit_memory
from ldngraph.sparql.store import OxigraphStore, QuerySyntaxError, Store

#: What a worker answers: HTTP status, content type, body, and whether the rows were cut at the cap.
Reply = tuple[int, str, bytes, bool]


def answer(store: Store, sparql: str, accept: str, max_rows: int) -> Reply:
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
        """Fork a new worker, telling it which of the server's handles to close."""
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
        """Kill a worker (if still alive) and forget it."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        with self._lock:
            self._all.discard(worker.process)
            self._conns.discard(worker.conn)
        worker.conn.close()

    def run(self, sparql: str, accept: str, timeout: float) -> Reply:
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
