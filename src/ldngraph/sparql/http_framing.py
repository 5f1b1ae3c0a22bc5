"""The endpoint's HTTP/1.1 guards: strict request framing, a deadline for each request, a cap on connections.

* **Framing** (:func:`framing_problem`): a request whose body length could be read two ways is refused (400)
  and its connection closed, so no part of it can become a second, smuggled request: Transfer-Encoding
  beside Content-Length, more than one Content-Length (even equal ones), a Content-Length that is not plain
  ASCII digits (``int()`` would take ``5_0``, ``+5``, full-width digits), header lines that are not
  ``token: value`` (a space before the colon, obsolete line folding, control characters), two Host headers.
  Transfer-Encoding alone (chunked) is 411 Length Required: a query endpoint does not need streamed uploads.
* **Deadline** (:class:`DeadlineReader`): request line, headers and body must arrive within the client
  timeout of the connection opening or of the previous answer, however slowly the bytes drip.
* **Connections** (:class:`ConnectionTable`): at most ``cap`` at once; at the cap a new connection closes the
  one that has waited longest without sending a complete request, and if every connection is busy with a
  request the newcomer is answered 503.

See docs/decisions/0010.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(r"[0-9]{1,18}")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def framing_problem(headers: Message) -> tuple[int, str] | None:
    """Why a request's framing is refused, as (HTTP status, one-line reason), or None when it is sound."""
    if headers.defects or headers.get_payload():
        return 400, "malformed header line (a header must be 'name: value', with no space before the colon)"
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name):
            return 400, "malformed header name"
        if _BAD_VALUE.search(value):
            return 400, "malformed header value (control characters or obsolete line folding)"
    lengths = headers.get_all("Content-Length") or []
    if headers.get_all("Transfer-Encoding"):
        if lengths:
            return 400, "both Transfer-Encoding and Content-Length: the body length is ambiguous"
        return 411, "Transfer-Encoding is not accepted here: send the body with a Content-Length"
    if len(lengths) > 1:
        return 400, "more than one Content-Length"
    if lengths and not _DIGITS.fullmatch(lengths[0].strip(" \t")):
        return 400, "bad Content-Length: it must be a plain number of bytes"
    if len(headers.get_all("Host") or []) > 1:
        return 400, "more than one Host header"
    return None


def body_length(headers: Message) -> int:
    """The body length of a request that passed :func:`framing_problem` (0 without a body)."""
    value = headers.get("Content-Length")
    return int(value.strip(" \t")) if value else 0


class DeadlineReader(io.RawIOBase):
    """A socket read with a deadline: each read may only wait until ``deadline()`` (None: no deadline)."""

    def __init__(self, sock: socket.socket, deadline: Callable[[], float | None]):
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        """Always: this is a reader."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Read what the client has sent, waiting no later than the deadline (TimeoutError after it)."""
        deadline = self._deadline()
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client did not send a complete request in time")
            self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


@dataclass(eq=False)
class Tracked:
    """One open connection: since when it waits for a request (``idle``) or that it is being answered."""

    sock: socket.socket
    since: float
    idle: bool = True
    evicted: bool = False


class ConnectionTable:
    """The open connections of a server, at most ``cap`` of them."""

    def __init__(self, cap: int):
        self.cap = max(1, cap)
        self._open: dict[int, Tracked] = {}
        self._lock = threading.Lock()
        self.evictions = 0
        self.turned_away = 0

    def admit(self, sock: socket.socket) -> bool:
        """Take a new connection; at the cap make room by closing the longest-idle one. False if all are busy."""
        with self._lock:
            live = [t for t in self._open.values() if not t.evicted]
            if len(live) >= self.cap and not self._evict_locked(live):
                self.turned_away += 1
                return False
            self._open[id(sock)] = Tracked(sock, time.monotonic())
            return True

    def evict_oldest_idle(self) -> bool:
        """Close the connection that has waited longest for a request (out of file descriptors, say)."""
        with self._lock:
            return self._evict_locked([t for t in self._open.values() if not t.evicted])

    def _evict_locked(self, live: list[Tracked]) -> bool:
        idle = [t for t in live if t.idle]
        if not idle:
            return False
        victim = min(idle, key=lambda t: t.since)
        victim.evicted = True
        self.evictions += 1
        try:
            victim.sock.shutdown(socket.SHUT_RDWR)  # its thread wakes up and closes it
        except OSError:
            pass
        return True

    def get(self, sock: socket.socket) -> Tracked | None:
        """The record of a connection (None for one not admitted)."""
        with self._lock:
            return self._open.get(id(sock))

    def waiting(self, tracked: Tracked | None) -> None:
        """The connection now waits for (or reads) a request: it may be evicted."""
        if tracked is not None:
            with self._lock:
                tracked.idle, tracked.since = True, time.monotonic()

    def busy(self, tracked: Tracked | None) -> bool:
        """The connection's request is complete and is being answered; False if it was evicted already."""
        if tracked is None:
            return True
        with self._lock:
            tracked.idle = False
            return not tracked.evicted

    def remove(self, sock: socket.socket) -> None:
        """Forget a connection (it is being closed)."""
        with self._lock:
            self._open.pop(id(sock), None)

    def close_all(self) -> None:
        """Shut every connection down (the server is stopping)."""
        with self._lock:
            tracked = list(self._open.values())
        for t in tracked:
            try:
                t.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)
