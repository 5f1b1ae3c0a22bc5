"""The endpoint's answers as chunks of bytes under a byte cap, cut at a row (or triple) boundary.

SELECT and ASK results (SPARQL JSON, XML, CSV, TSV) are formatted row by row, so the cap is checked while the
answer is built, a row that cannot fit is never formatted (one literal may be hundreds of megabytes), and no
second copy of the whole text is made: the bytes go out as chunks of :data:`CHUNK`. The text is the same as
:func:`ldngraph.sparql.query.format_result` gives for the rows kept. Graphs (Turtle, N-Triples, RDF/XML) are
serialised by pyoxigraph and shortened by triples when over the cap.

On the server's side, :class:`Answer` is an answer on its way to a client, its chunks let go one by one as
they are sent, and :class:`ByteBudget` bounds the bytes of answers held for clients that have not read them.
See docs/decisions/0010.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.sparql.negotiation import TEXT
from ldngraph.sparql.query import _csv_value, _json_term, _xml_term
from ldngraph.sparql.store_interface import QueryResult

#: Size of the pieces an answer travels in (worker -> server -> client).
CHUNK = 256 * 1024


@dataclass
class CappedAnswer:
    """A formatted answer: its chunks, total length, the rows (or triples) kept and whether the cap cut it."""

    chunks: list[bytes] = field(default_factory=list)
    length: int = 0
    kept: int = 0
    cut: bool = False


class _Chunker:
    """Collects encoded pieces into chunks of about :data:`CHUNK` bytes, counting the total."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.length = 0
        self._pending: list[bytes] = []
        self._pending_size = 0

    def add(self, piece: bytes) -> None:
        self._pending.append(piece)
        self._pending_size += len(piece)
        self.length += len(piece)
        if self._pending_size >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            joined = b"".join(self._pending)
            self.chunks.extend(joined[i:i + CHUNK] for i in range(0, len(joined), CHUNK))
            self._pending, self._pending_size = [], 0


def _floor(terms: Sequence[Any]) -> int:
    """A lower bound of the bytes a row or triple takes in any format: the characters of its values."""
    return sum(len(t.value) for t in terms if t is not None)


def _rows(
    result: QueryResult, head: str, tail: str, row: Callable[[tuple[Any, ...]], str], separator: str, cap: int
) -> CappedAnswer:
    """Head, rows (as many as fit under ``cap`` with the tail), tail: the document, chunked."""
    out = _Chunker()
    head_b, tail_b, sep_b = head.encode(), tail.encode(), separator.encode()
    used = len(head_b) + len(tail_b)
    out.add(head_b)
    kept, cut = 0, False
    for values in result.rows:
        extra = len(sep_b) if kept else 0
        if used + extra + _floor(values) > cap:
            cut = True
            break
        piece = row(values).encode("utf-8")
        if used + extra + len(piece) > cap:
            cut = True
            break
        if extra:
            out.add(sep_b)
        out.add(piece)
        used += extra + len(piece)
        kept += 1
    out.add(tail_b)
    out.flush()
    return CappedAnswer(out.chunks, out.length, kept, cut)


def _json_row(variables: list[str]) -> Callable[[tuple[Any, ...]], str]:
    def row(values: tuple[Any, ...]) -> str:
        binding = {v: _json_term(t) for v, t in zip(variables, values, strict=True) if t is not None}
        return json.dumps(binding, ensure_ascii=False)

    return row


def _xml_row(variables: list[str]) -> Callable[[tuple[Any, ...]], str]:
    def row(values: tuple[Any, ...]) -> str:
        cells = "".join(f'<binding name="{v}">{_xml_term(t)}</binding>'
                        for v, t in zip(variables, values, strict=True) if t is not None)
        return f"<result>{cells}</result>\n"

    return row


def _csv_row(values: Sequence[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_csv_value(t) for t in values])
    return buffer.getvalue()


def _tsv_row(values: Sequence[Any]) -> str:
    return "\t".join("" if t is None else str(t) for t in values) + "\n"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def format_capped(result: QueryResult, fmt: str, cap: int) -> CappedAnswer:
    """Format a result in an endpoint format in at most ``cap`` bytes.

    Formats: json, xml, csv, tsv (SELECT; ASK json and xml); turtle, ntriples, xml (graphs). Rows (or
    triples) that would pass the cap are left out and ``cut`` is set.
    """
    if result.kind == "graph":
        return _graph(result.triples, fmt, cap)
    variables = result.variables
    if result.kind == "ask":
        text = (json.dumps({"head": {}, "boolean": bool(result.boolean)}) if fmt == "json" else
                _XML_HEAD + f"<head/><boolean>{'true' if result.boolean else 'false'}</boolean></sparql>\n")
        body = text.encode()
        return CappedAnswer([body], len(body), 1, False)
    if fmt == "json":
        head = '{"head": {"vars": ' + json.dumps(variables, ensure_ascii=False) + '}, "results": {"bindings": ['
        return _rows(result, head, "]}}", _json_row(variables), ", ", cap)
    if fmt == "xml":
        head = _XML_HEAD + "<head>" + "".join(f'<variable name="{v}"/>' for v in variables) + "</head>\n<results>\n"
        return _rows(result, head, "</results>\n</sparql>\n", _xml_row(variables), "", cap)
    if fmt == "csv":
        return _rows(result, _csv_row_text(variables), "", _csv_row, "", cap)
    if fmt == "tsv":
        return _rows(result, "\t".join(f"?{v}" for v in variables) + "\n", "", _tsv_row, "", cap)
    raise ValueError(f"not an endpoint format: {fmt}")


def _csv_row_text(variables: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(variables)
    return buffer.getvalue()


def _serialise(triples: Sequence[Any], fmt: str) -> bytes:
    import pyoxigraph as ox

    if fmt == "turtle":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(ns.PREFIXES)) or b""
    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if fmt == "xml":
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML) or b""
    raise ValueError(f"not an endpoint graph format: {fmt}")


def _graph(triples: list[Any], fmt: str, cap: int) -> CappedAnswer:
    """Serialise triples; when over ``cap``, serialise fewer (never one that alone passes the cap)."""
    keep, floor = 0, 0
    for triple in triples:  # no serialisation of triples whose values alone pass the cap
        floor += _floor((triple.subject, triple.predicate, triple.object))
        if floor > cap:
            break
        keep += 1
    body = _serialise(triples[:keep], fmt)
    while len(body) > cap and keep > 0:
        keep = min(keep - 1, int(keep * cap / len(body) * 0.95))
        body = _serialise(triples[:keep], fmt)
    if len(body) > cap:  # even no triple at all (Turtle prefixes) is over a tiny cap
        body = b""
    return CappedAnswer(list(_slices(body)), len(body), keep, keep < len(triples))


def _slices(body: bytes) -> Iterator[bytes]:
    view = memoryview(body)
    for start in range(0, len(body), CHUNK):
        yield bytes(view[start:start + CHUNK]) if len(body) > CHUNK else body


class ByteBudget:
    """Bytes of answers the server may hold for clients that have not read them yet."""

    def __init__(self, total: int):
        self.total = total
        self.held = 0
        self._cond = threading.Condition()

    def take(self, size: int, wait: float) -> bool:
        """Reserve ``size`` bytes, waiting at most ``wait`` seconds; False when they did not become free."""
        deadline = time.monotonic() + wait
        with self._cond:
            while self.held + size > self.total:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    if self.held + size > self.total:
                        return False
            self.held += size
            return True

    def give(self, size: int) -> None:
        """Give back bytes reserved with :meth:`take`."""
        with self._cond:
            self.held -= size
            self._cond.notify_all()


class Answer:
    """An answer on its way to a client: status, type, headers and the body chunks, each let go once sent."""

    def __init__(self, status: int, ctype: str, headers: dict[str, str], chunks: deque[bytes],
                 budget: ByteBudget | None = None):
        self.status, self.ctype, self.headers = status, ctype, headers
        self.length = sum(len(c) for c in chunks)
        self._chunks = chunks
        self._budget = budget

    @classmethod
    def text(cls, status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
        """A one-line plain-text answer (errors and refusals)."""
        return cls(status, TEXT, headers or {}, deque([message.encode("utf-8")]))

    def __iter__(self) -> Iterator[bytes]:
        while self._chunks:
            chunk = self._chunks.popleft()
            yield chunk
            if self._budget is not None:
                self._budget.give(len(chunk))

    def close(self) -> None:
        """Let go of whatever was not sent (the client left or stopped reading)."""
        if self._budget is not None:
            self._budget.give(sum(len(c) for c in self._chunks))
            self._budget = None
        self._chunks.clear()

    @property
    def body(self) -> bytes:
        """The whole body (for tests and small answers; sending iterates instead)."""
        return b"".join(self._chunks)
