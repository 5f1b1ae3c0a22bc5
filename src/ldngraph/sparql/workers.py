"""The endpoint's query workers: processes forked once from the process holding the loaded store.

The in-memory store is shared copy-on-write; an on-disk store is reopened read-only in each worker. A request
thread hands ``(query, Accept)`` to an idle worker over a pipe; a worker whose query runs past the timeout is
killed (SIGKILL) and replaced by a fresh fork. Right after the fork a worker lets go of everything of the
server's (listening socket, other workers' pipes, clients' connections), loses the right to open internet
sockets and gets a memory cap (:mod:`ldngraph.sparql.sandbox`). See docs/decisions/0005 and 0007.

Quick queries keep their share of the pool (decision 0010): a query still running after ``long_after`` seconds
becomes *long*. Its worker is moved out of the pool to the lowest CPU priority and a fresh worker takes its
place, so ``size`` workers always serve quick queries; at most ``long_queries`` long queries run at once, and
one that finds every long slot taken is stopped at once (503 with Retry-After). A query stopped either way is
answered 503 at once if sent again within the Retry-After time. Answers come from the worker in chunks; the
server holds the chunks of answers that clients have not read yet within one byte budget.
"""

from __future__ import annotations

import faulthandler
import hashlib
import multiprocessing
import os
import queue
import signal
import stat
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ldngraph.sparql.answer_bytes import Answer, ByteBudget
from ldngraph.sparql.negotiation import CONTENT_TYPES, TEXT, negotiate, offered
from ldngraph.sparql.refusals import refusal
from ldngraph.sparql.sandbox import deny_network, limit_memory
from ldngraph.sparql.store import OxigraphStore, QuerySyntaxError, Store

#: Answers up to this size never wait for the byte budget.
SMALL = 64 * 1024
#: Seconds in Retry-After when a query is stopped for being long, or timed out; the same text is answered
#: 503 at once for that long.
RETRY_AFTER = 5


@dataclass
class Reply:
    """What a worker answers: HTTP status, content type, body chunks and extra headers."""

    status: int
    ctype: str
    chunks: list[bytes]
    headers: dict[str, str] = field(default_factory=dict)
    #: the query passed the refusal check (the server remembers it, so no worker parses it again)
    checked: bool = False

    @property
    def length(self) -> int:
        """Bytes in the body."""
        return sum(len(c) for c in self.chunks)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, TEXT, [message.encode("utf-8")], headers or {})


def answer(
    store: Store, sparql: str, accept: str, max_rows: int, max_bytes: int = 100_000_000, checked: bool = False
) -> Reply:
    """Run one query and format it in at most ``max_bytes`` (rows past the row or byte cap are cut, flagged).

    ``checked``: the query already passed the refusal check in some worker (the server remembers which did).
    """
    from ldngraph.sparql.answer_bytes import format_capped

    try:
        refused = None if checked else refusal(sparql)
        if refused is not None:
            return _text(refused.status, refused.reason)
        checked = True
        result = store.execute(sparql, max_rows=max_rows)
        kind = result.kind if result.kind in ("graph", "ask") else "select"
        fmt = negotiate(accept, kind)
        if fmt is None:
            return _text(406, f"cannot answer this {'ASK' if kind == 'ask' else kind.upper()} query in "
                              f"{' '.join(accept.split())[:200]}: it can be answered in {offered(kind)}")
        capped = format_capped(result, fmt, max_bytes)
        headers = {}
        if capped.cut:
            headers = {"X-Ldngraph-Truncated": "true", "X-Ldngraph-Notice":
                       f"results cut at {capped.kept} rows to stay under the server's cap of {max_bytes} bytes"}
        elif result.truncated:
            headers = {"X-Ldngraph-Truncated": "true",
                       "X-Ldngraph-Notice": f"results cut at {max_rows} rows (the server's row cap)"}
        ctype = CONTENT_TYPES[("graph" if kind == "graph" else "select", fmt)]
        return Reply(200, ctype, capped.chunks, headers, checked=True)
    except QuerySyntaxError as exc:
        return _text(400, str(exc))
    except MemoryError:
        return _text(503, "query stopped: it needed more memory than a query worker may use")
    except Exception as exc:  # noqa: BLE001 - the worker must always answer
        return _text(500, f"query failed: {exc}")


def _worker_loop(
    store: Store, disk_path: str | None, conn: Any, limits: tuple[int, int], inherited: list[Any], memory: int
) -> None:
    """A persistent worker: answer (query, accept) messages from the pipe until it closes.

    Before the first query it loses the right to open internet sockets and gets its memory cap
    (:mod:`ldngraph.sparql.sandbox`). An answer goes back as a head ``(status, type, headers, length,
    checked, CPU seconds used so far)`` and then its body in chunks (``send_bytes``), so no pickled copy of a
    big answer is made.
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
    max_rows, max_bytes = limits
    while True:
        try:
            sparql, accept, checked = conn.recv()
        except (EOFError, OSError):
            return
        reply = answer(store, sparql, accept, max_rows, max_bytes, checked)
        times = os.times()
        conn.send((reply.status, reply.ctype, reply.headers, reply.length, reply.checked, times.user + times.system))
        for chunk in reply.chunks:
            conn.send_bytes(chunk)
        del reply


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
    long: bool = False
    cpu: float = 0.0  # CPU seconds the worker had used when its last answer was sent


@dataclass(frozen=True)
class PoolLimits:
    """How the pool shares its workers and holds answers."""

    max_rows: int = 10000
    max_bytes: int = 100_000_000
    memory: int = 0
    long_after: float = 0.5
    long_queries: int = 1
    queue_wait: float = 10.0
    answer_memory: int = 200_000_000


class WorkerPool:
    """Worker processes forked once from the process holding the loaded store (shared copy-on-write).

    A query goes to an idle worker over a pipe. A worker whose query passes the timeout is killed and
    replaced by a fresh fork, so a runaway query costs one worker for ``timeout`` seconds and nothing else;
    while it runs past ``long_after`` it is out of the pool, at the lowest CPU priority, and a fresh worker
    serves in its place (see the module docstring).
    """

    def __init__(self, store: Store, disk_path: str | None, size: int, limits: PoolLimits, inherited: Any = None):
        # imported before any fork, so no worker ever imports (import locks)
        import rdflib.plugins.sparql.parser  # noqa: F401

        from ldngraph.sparql import answer_bytes, query  # noqa: F401

        self.limits = limits
        self._inherited = inherited
        self._conns: set[Any] = set()
        self._store = store
        self._disk_path = disk_path
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[Any] = set()
        self._lock = threading.Lock()
        self._memo_lock = threading.Lock()  # for _stopped and _checked
        self._closed = False
        self._long = threading.BoundedSemaphore(max(1, limits.long_queries))
        self._stopped: dict[bytes, float] = {}  # query hash -> until when it is answered 503 at once
        self._checked: dict[bytes, None] = {}  # hashes of queries that passed the refusal check (newest last)
        self.budget = ByteBudget(max(limits.answer_memory, limits.max_bytes))
        self.replaced = 0  # workers killed (timeout, long query with no slot) or dead (memory cap, crash)
        self.moved_aside = 0  # long queries moved out of the pool
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        """Fork a new worker, telling it which of the server's handles to close."""
        mine, theirs = self._context.Pipe(duplex=True)
        with self._lock:
            inherited = [*self._conns, mine] + ([self._inherited] if self._inherited is not None else [])
            process = self._context.Process(
                target=_worker_loop,
                args=(self._store, self._disk_path, theirs, (self.limits.max_rows, self.limits.max_bytes),
                      inherited, self.limits.memory),
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

    @property
    def retry_after(self) -> int:
        """Seconds a client is told to wait (Retry-After) when a query is stopped.

        For as long, the same query text is answered 503 at once.
        """
        return RETRY_AFTER

    def _busy(self, message: str) -> Answer:
        return Answer.text(503, message, {"Retry-After": str(self.retry_after)})

    def _recently_stopped(self) -> Answer:
        return self._busy("server busy: this query was stopped as a long query a moment ago (long queries are "
                          "limited); retry later")

    def run(self, sparql: str, accept: str, timeout: float) -> Answer:
        """Run a query on an idle worker within ``timeout`` seconds (waiting for a worker included)."""
        key = hashlib.sha256(sparql.encode("utf-8", "surrogatepass")).digest()
        if self._stopped.get(key, 0.0) > time.monotonic():
            return self._recently_stopped()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=max(0.0, min(self.limits.queue_wait, timeout)))
        except queue.Empty:
            return self._busy("server busy: every query worker is taken")
        if self._stopped.get(key, 0.0) > time.monotonic():  # stopped while this request waited for a worker
            self._idle.put(worker)
            return self._recently_stopped()
        healthy = False
        try:
            worker.conn.send((sparql, accept, key in self._checked))
            stopped = self._wait(worker, deadline, timeout)
            if stopped is not None:
                self._remember_stopped(key)
                return stopped
            reply = self._receive(worker, key)
            healthy = True
            return reply
        except (EOFError, OSError):
            if worker.process.exitcode is None:
                worker.process.join(1)
            if self.limits.memory and worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL,
                                                                  -signal.SIGSEGV):
                return Answer.text(503, "query stopped: it needed more memory than a query worker may use")
            return Answer.text(500, "query worker died")
        finally:
            self._settle(worker, healthy)

    def _wait(self, worker: _Worker, deadline: float, timeout: float) -> Answer | None:
        """Wait for the worker's answer to start; None when it has, else the answer to send instead.

        A query that has used ``long_after`` seconds of CPU (not of waiting: a quick query slowed down by a
        busy machine stays quick) is moved aside (lowest CPU priority, a fresh worker in its place) if a long
        slot is free, else stopped.
        """
        step = self.limits.long_after
        while True:
            if worker.conn.poll(min(step, max(0.0, deadline - time.monotonic()))):
                return None
            if time.monotonic() >= deadline:
                break
            used = _cpu_seconds(worker.process.pid) - worker.cpu
            if used >= self.limits.long_after:
                break
            step = max(0.05, self.limits.long_after - used)
        if time.monotonic() < deadline:
            if not self._long.acquire(blocking=False):
                return self._busy(f"server busy: {self.limits.long_queries} long queries are already running; "
                                  f"this one was stopped after {self.limits.long_after:g} s of CPU (retry later)")
            worker.long = True
            self.moved_aside += 1
            _lowest_priority(worker.process.pid)
            if not self._closed:
                self._idle.put(self._spawn())
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                return None
        return Answer.text(503, f"query timed out after {timeout:g} s and was stopped")

    def _receive(self, worker: _Worker, key: bytes) -> Answer:
        """Read an answer's head and body chunks from the worker; a big one waits for room in the budget."""
        status, ctype, headers, length, checked, worker.cpu = worker.conn.recv()
        if checked and key not in self._checked:
            with self._memo_lock:
                while len(self._checked) >= 4096:
                    self._checked.pop(next(iter(self._checked)))
                self._checked[key] = None
        budget = self.budget if length > SMALL else None
        if budget is not None and not budget.take(length, wait=2.0):
            self._drain(worker, length)
            return self._busy("server busy: the answers waiting for slow clients fill the memory set aside for "
                              "them; retry later")
        chunks: deque[bytes] = deque()
        got = 0
        try:
            while got < length:
                if not worker.conn.poll(30):
                    raise EOFError("worker stalled")
                chunks.append(worker.conn.recv_bytes())
                got += len(chunks[-1])
        except BaseException:
            if budget is not None:
                budget.give(length)
            raise
        return Answer(status, ctype, headers, chunks, budget)

    def _drain(self, worker: _Worker, length: int) -> None:
        """Read and drop an answer the server will not send, so the worker is free again."""
        got = 0
        while got < length:
            if not worker.conn.poll(30):
                raise EOFError("worker stalled")
            got += len(worker.conn.recv_bytes())

    def _remember_stopped(self, key: bytes) -> None:
        now = time.monotonic()
        with self._memo_lock:
            if len(self._stopped) > 1024:
                self._stopped = {k: t for k, t in self._stopped.items() if t > now}
            self._stopped[key] = now + self.retry_after

    def _settle(self, worker: _Worker, healthy: bool) -> None:
        """After a query: a healthy pool worker goes back to the pool.

        A long one (its priority cannot be raised again) or a killed one is retired, and a killed pool
        worker gets a replacement.
        """
        if not healthy:
            self.replaced += 1
        if worker.long:
            self._retire(worker)
            self._long.release()
            return
        if not healthy:
            self._retire(worker)
            if self._closed:
                return
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


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, all threads) a process has used, from /proc.

    Infinite when unknown, so where /proc is missing a query is judged by its wall time.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            fields = stat_file.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return float("inf")


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _lowest_priority(pid: int) -> None:
    """Give every thread of a worker the lowest CPU priority (Linux SCHED_IDLE, else nice 19).

    A long query then only takes CPU time that quick queries and the server leave free. Best effort; neither
    can be undone without privileges, so such a worker is retired after its query.
    """
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        threads = [pid]
    idle = getattr(os, "SCHED_IDLE", None)
    for tid in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, 19)
            if idle is not None:
                os.sched_setscheduler(tid, idle, os.sched_param(0))
        except OSError:
            pass
