"""One interface to the graph, three kinds of store.

* :class:`OxigraphStore` in memory: the embedded default (pyoxigraph, no server, nothing to set up).
* :class:`OxigraphStore` on disk (``path=...``): for large graphs merged with ``--with FILE...``.
* :class:`EndpointStore`: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever).

:class:`RdflibStore` (rdflib's in-memory store) exists for comparison and tests only.

Every store answers :meth:`Store.execute` with a :class:`QueryResult` whose terms are pyoxigraph
terms, whatever the backend, so output formatting and comparisons are the same everywhere.
This module imports neither rdflib nor pydantic on the query path (see docs/decisions/0002).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import LdngraphError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

Progress = Callable[[str], None]


class QueryError(LdngraphError):
    """A query could not be run (bad syntax, refused feature, failure in the store)."""


class QuerySyntaxError(QueryError):
    """The query text does not parse; the message names line and column."""


class EndpointError(LdngraphError):
    """A remote SPARQL endpoint could not be reached or refused the request."""


class StoreError(LdngraphError):
    """A store could not be opened or loaded."""


@dataclass
class QueryResult:
    """The answer to one query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    Terms are pyoxigraph terms (NamedNode, BlankNode, Literal) or None for an unbound variable.
    """

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1


RDF_FORMATS_BY_SUFFIX: dict[str, str] = {
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".trig": "TRIG",
    ".n3": "N3",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
}

_POSITION = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)


def syntax_message(error: Exception) -> str:
    """A one-line message for a query syntax error, naming line and column."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    found = _POSITION.search(text)
    if found:
        line, column, rest = found.groups()
        return f"query syntax error at line {line}, column {column}: {rest.strip()}"
    return f"query syntax error: {text}"


def rdf_format(path: Path) -> str:
    """The pyoxigraph RdfFormat name for a file, from its suffix (``.gz`` allowed)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = RDF_FORMATS_BY_SUFFIX.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS_BY_SUFFIX))
        raise StoreError(f"{path}: unknown RDF format (use one of {known}, optionally .gz)")
    return fmt


class _ProgressReader(io.RawIOBase):
    """A binary reader that reports how much of a file has been read, at most every ``every`` seconds."""

    def __init__(self, handle: IO[bytes], total: int, label: str, progress: Progress, every: float = 1.0):
        self._handle = handle
        self._total = max(total, 1)
        self._label = label
        self._progress = progress
        self._every = every
        self._read = 0
        self._last = time.monotonic()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # noqa: D102
        data = self._handle.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._read += n
        now = time.monotonic()
        if now - self._last >= self._every:
            self._last = now
            self._progress(f"loading {self._label}: {min(100, 100 * self._read // self._total)}%")
        return n

    def position(self) -> int:
        """Bytes read so far (compressed bytes for .gz files)."""
        return self._read


class Store:
    """What every store offers: run a query, count triples, close."""

    kind = "abstract"

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Run a SPARQL query with variables bound to RDF terms; raise QueryError on failure."""
        raise NotImplementedError

    def triple_count(self) -> int:
        """Number of triples in the store (or the endpoint's default graph)."""
        result = self.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0].value)

    def describe(self) -> str:
        """One line saying what this store is."""
        return self.kind

    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _query_kind(result: Any) -> str:
    import pyoxigraph as ox

    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "graph"


def _materialise(result: Any, max_rows: int | None) -> QueryResult:
    kind = _query_kind(result)
    if kind == "ask":
        return QueryResult("ask", boolean=bool(result))
    if kind == "graph":
        triples = []
        truncated = False
        for triple in result:
            if max_rows is not None and len(triples) >= max_rows:
                truncated = True
                break
            triples.append(triple)
        return QueryResult("graph", triples=triples, truncated=truncated)
    variables = [v.value for v in result.variables]
    rows: list[tuple[Any, ...]] = []
    truncated = False
    # Hundreds of thousands of new terms would trigger the cyclic garbage collector again and again
    # over the growing list (measured: 50-70 ms of 650 for 23,000 rows of 11 terms); none of them
    # can form a cycle, so it is paused while the rows are read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for solution in result:
            if max_rows is not None and len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(solution))
    finally:
        if collecting:
            gc.enable()
    return QueryResult("select", variables=variables, rows=rows, truncated=truncated)


class OxigraphStore(Store):
    """pyoxigraph in memory (``path=None``, the embedded default) or on disk (``path=DIR``)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False):
        import pyoxigraph as ox

        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}") from exc
        self.kind = "oxigraph-memory" if self.path is None else "oxigraph-disk"

    @property
    def raw(self) -> pyoxigraph.Store:
        """The underlying pyoxigraph Store."""
        return self._store

    def describe(self) -> str:
        """One line saying what this store is."""
        return "Oxigraph in memory" if self.path is None else f"Oxigraph on disk at {self.path}"

    def load_file(self, path: Path | str, *, progress: Progress | None = None) -> int:
        """Bulk-load one RDF file (format from its suffix, ``.gz`` allowed) into the default graph.

        Returns the number of triples added. Progress, if given, is reported about once a second.
        """
        import pyoxigraph as ox

        path = Path(path)
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
        fmt = getattr(ox.RdfFormat, rdf_format(path))
        before = len(self._store)
        try:
            if progress is None and path.suffix != ".gz":
                self._store.bulk_load(path=str(path), format=fmt)
            else:
                opener = gzip.open if path.suffix == ".gz" else open
                with open(path, "rb") as raw:
                    reader = _ProgressReader(raw, path.stat().st_size, path.name, progress or (lambda _m: None))
                    stream: IO[bytes] = gzip.GzipFile(fileobj=reader) if opener is gzip.open else reader  # type: ignore[assignment]
                    self._store.bulk_load(io.BufferedReader(stream, 1 << 20), format=fmt)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise StoreError(f"{path}: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc
        added = len(self._store) - before
        if progress is not None:
            progress(f"loaded {path.name}: {added:,} triples")
        return added

    def load_bytes(self, data: bytes, fmt: str = "N_TRIPLES") -> None:
        """Load RDF given as bytes (N-Triples by default) into the default graph."""
        import pyoxigraph as ox

        self._store.bulk_load(data, format=getattr(ox.RdfFormat, fmt))

    def clear(self) -> None:
        """Remove every triple."""
        self._store.clear()

    def triple_count(self) -> int:
        """Number of triples (quads) in the store."""
        return len(self._store)

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Run a query; variables in ``substitutions`` are bound to RDF terms before evaluation."""
        import pyoxigraph as ox

        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        # The substitution binds the parameters; the same terms in a VALUES block are for the
        # optimizer, which does not see substituted values and would otherwise not start from them
        # (mechanism-paths at 10^6 triples: 2.0 s without, 0.07 s for its path part with; 0006).
        sparql = inline_values(sparql, substitutions or {}, required=False)
        try:
            result = self._store.query(sparql, substitutions=subs or None, prefixes=dict(ns.PREFIXES))
            return _materialise(result, max_rows)
        except SyntaxError as exc:
            raise QuerySyntaxError(syntax_message(exc)) from exc
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                raise QueryError(
                    f"cannot bind {', '.join('?' + k for k in subs_names(substitutions))}: a parameter must be a "
                    "variable the query SELECTs"
                ) from exc
            raise QueryError(f"query failed: {exc}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def flush(self) -> None:
        """Make an on-disk store durable and compact."""
        if self.path is not None:
            self._store.flush()
            self._store.optimize()

    def close(self) -> None:
        """Flush an on-disk store; drop the reference."""
        if self.path is not None:
            try:
                self._store.flush()
            except OSError:
                pass


def subs_names(substitutions: dict[str, Any] | None) -> list[str]:
    """The names of bound variables."""
    return sorted(substitutions or {})


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the equivalent rdflib term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        # rdflib parses "x" as a literal without datatype and does not equate it with "x"^^xsd:string.
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def from_rdflib(term: Any) -> Any:
    """An rdflib term as the equivalent pyoxigraph term (None stays None)."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    datatype = str(term.datatype) if term.datatype else _XSD_STRING
    return ox.Literal(str(term), datatype=ox.NamedNode(datatype))


class RdflibStore(Store):
    """rdflib's in-memory store: for comparison and tests (slow; imports rdflib)."""

    kind = "rdflib-memory"

    def __init__(self) -> None:
        from rdflib import Graph

        self.graph = Graph()

    def describe(self) -> str:
        """One line saying what this store is."""
        return "rdflib Memory"

    def load_file(self, path: Path | str, *, progress: Progress | None = None) -> int:
        """Parse one RDF file into the graph; return the number of triples added."""
        path = Path(path)
        fmt = {"N_TRIPLES": "nt", "TURTLE": "turtle", "N_QUADS": "nquads", "TRIG": "trig", "N3": "n3",
               "RDF_XML": "xml", "JSON_LD": "json-ld"}[rdf_format(path)]
        before = len(self.graph)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            self.graph.parse(handle, format=fmt)
        if progress is not None:
            progress(f"loaded {path.name}: {len(self.graph) - before:,} triples")
        return len(self.graph) - before

    def triple_count(self) -> int:
        """Number of triples in the graph."""
        return len(self.graph)

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Run a query with rdflib, variables bound with ``initBindings``."""
        import pyoxigraph as ox
        from rdflib import Variable

        bindings = {Variable(k): to_rdflib(v) for k, v in (substitutions or {}).items()}
        try:
            result = self.graph.query(sparql, initBindings=bindings, initNs=dict(ns.PREFIXES))
        except Exception as exc:  # rdflib raises pyparsing's ParseException and others
            if type(exc).__name__ == "ParseException":
                raise QuerySyntaxError(
                    f"query syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"  # type: ignore[attr-defined]
                ) from exc
            raise QueryError(f"query failed: {exc}") from exc
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [ox.Triple(*(from_rdflib(t) for t in triple)) for triple in result.graph]
            return QueryResult("graph", triples=triples[:max_rows] if max_rows else triples)
        variables = [str(v) for v in result.vars]
        rows = [tuple(from_rdflib(row[i]) for i in range(len(variables))) for row in result]
        truncated = max_rows is not None and len(rows) > max_rows
        return QueryResult("select", variables=variables, rows=rows[:max_rows] if truncated else rows,
                           truncated=truncated)


# ---------------------------------------------------------------------------------------------
# Remote endpoints

_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)


def code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length), for keyword scans."""
    return _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)


def where_group_start(sparql: str) -> int | None:
    """The index of the ``{`` that opens the query's WHERE group, or None if it has none.

    Skips a CONSTRUCT template and braces inside parentheses of the projection, such as
    ``SELECT (EXISTS { ... } AS ?x)``.
    """
    code = code_only(sparql)
    construct = re.search(r"(?<![\w:?$])CONSTRUCT\s*\{", code, re.I)
    position = 0
    if construct:
        depth = 0
        for position in range(construct.end() - 1, len(code)):
            depth += {"{": 1, "}": -1}.get(code[position], 0)
            if depth == 0:
                break
    parens = 0
    for index in range(position, len(code)):
        char = code[index]
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{" and parens <= 0:
            return index
    return None


def inline_values(sparql: str, substitutions: dict[str, Any], *, required: bool = True) -> str:
    """The query with a VALUES block binding ``substitutions`` at the start of its outer WHERE group.

    Each term is written in N-Triples syntax by pyoxigraph (quotes, backslashes and newlines
    escaped), so a value can never end its literal and change the query. A query without a WHERE
    group is an error, or is returned as it is when the block is not ``required``.
    """
    if not substitutions:
        return sparql
    brace = where_group_start(sparql)
    if brace is None:
        if not required:
            return sparql
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    names = " ".join(f"?{name}" for name in substitutions)
    values = " ".join(str(term) for term in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    return sparql[: brace + 1] + block + sparql[brace + 1 :]


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE (any update operation), from the query text."""
    code = code_only(sparql).upper()
    found = re.search(
        r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:])",
        code,
    )
    if not found:
        return "SELECT"
    word = found.group(1)
    return word if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else "UPDATE"


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over the SPARQL 1.1 Protocol (HTTP POST)."""

    kind = "endpoint"

    def __init__(self, url: str, *, default_graph: str | None = ns.GRAPH, timeout: float = 60.0):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"not an http(s) endpoint URL: {url!r}")
        self.url = url
        self.default_graph = default_graph or None
        self.timeout = timeout

    def describe(self) -> str:
        """One line saying what this store is."""
        graph = f" (default graph <{self.default_graph}>)" if self.default_graph else ""
        return f"SPARQL endpoint {self.url}{graph}"

    def _post(self, sparql: str, accept: str) -> tuple[str, bytes]:
        fields = [("query", sparql)]
        if self.default_graph:
            fields.append(("default-graph-uri", self.default_graph))
        body = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
            if exc.code == 400:
                raise QuerySyntaxError(f"the endpoint rejected the query (HTTP 400): {detail}") from exc
            raise EndpointError(f"endpoint {self.url} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from exc

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Send the query (parameters inlined as a VALUES block of escaped terms) and parse the answer."""
        import pyoxigraph as ox

        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("ldngraph query only reads: SPARQL Update is not sent (use `ldngraph push`)")
        text = ns.sparql_prefixes() + inline_values(sparql, substitutions or {})
        if form in ("CONSTRUCT", "DESCRIBE"):
            ctype, payload = self._post(text, "application/n-triples, text/turtle;q=0.9")
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            triples = [q.triple for q in ox.parse(payload, format=fmt)]
            truncated = max_rows is not None and len(triples) > max_rows
            return QueryResult("graph", triples=triples[:max_rows] if truncated else triples, truncated=truncated)
        _ctype, payload = self._post(text, "application/sparql-results+json")
        try:
            parsed = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"endpoint {self.url} sent results that are not SPARQL JSON: {exc}") from exc
        return _materialise(parsed, max_rows)


# ---------------------------------------------------------------------------------------------
# The curated graph, kept fresh


def _newest_mtime(folder: Path) -> float:
    newest = 0.0
    for sub in ("records", "vocab", "metagraph.yaml"):
        target = folder / sub
        paths: Iterable[Path] = target.rglob("*") if target.is_dir() else [target]
        for path in paths:
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def curated_ntriples(
    graph_dir: Path | None = None, build_dir: Path | None = None, *, progress: Progress | None = None
) -> Path:
    """The path of build/ldngraph.nt, rebuilt first (slower) when it is missing or older than graph/.

    If the records do not validate and an older build exists, the older build is used with a warning.
    """
    from ldngraph.core.paths import default_build_dir, default_graph_dir

    graph_dir = Path(graph_dir) if graph_dir is not None else default_graph_dir()
    build_dir = Path(build_dir) if build_dir is not None else default_build_dir()
    target = build_dir / "ldngraph.nt"
    if target.is_file() and target.stat().st_mtime >= _newest_mtime(graph_dir):
        return target
    say = progress or (lambda _m: None)
    say(f"{target} is {'older than ' + str(graph_dir) if target.is_file() else 'missing'}: rebuilding (slower)")
    from ldngraph.rdf.build import BuildConfig, build

    try:
        build(BuildConfig(graph_dir=graph_dir, out_dir=build_dir, shacl=False), progress=say)
    except LdngraphError as exc:
        if not target.is_file():
            raise
        first = str(exc).splitlines()[-1] if str(exc) else type(exc).__name__
        say(f"warning: rebuild failed ({first}); querying the previous build {target}")
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


STATE_FILE = "ldngraph-state.json"


def open_store(
    kind: str = "memory",
    *,
    path: Path | str | None = None,
    endpoint: str | None = None,
    extra: Sequence[Path | str] = (),
    graph_dir: Path | None = None,
    build_dir: Path | None = None,
    default_graph: str | None = ns.GRAPH,
    progress: Progress | None = None,
) -> Store:
    """Open a store holding the curated graph (and ``extra`` RDF files beside it).

    Args:
        kind: ``memory`` (embedded default, pyoxigraph), ``disk`` (pyoxigraph on disk at ``path``),
            ``endpoint`` (remote SPARQL endpoint at ``endpoint``) or ``rdflib`` (comparison only).
        path: folder of the on-disk store (kind ``disk``). It is reloaded only when the curated
            graph or the list of extra files changed since it was filled.
        endpoint: URL of the SPARQL query endpoint (kind ``endpoint``); nothing is loaded there.
        extra: more RDF files to load beside the curated graph (``--with``).
        graph_dir: folder of curated records.
        build_dir: folder of the build output.
        default_graph: for endpoints, the graph queried by default (where ``push`` puts it); None
            for the endpoint's own default graph.
        progress: called with short progress messages.
    """
    if kind == "endpoint":
        if not endpoint:
            raise StoreError("an endpoint store needs --endpoint URL")
        if extra:
            raise StoreError("--with loads files into a local store; push them to the endpoint instead")
        return EndpointStore(endpoint, default_graph=default_graph)
    nt = curated_ntriples(graph_dir, build_dir, progress=progress)
    files = [Path(p) for p in extra]
    for file in files:
        if not file.is_file():
            raise StoreError(f"--with {file}: no such file")
        rdf_format(file)
    if kind == "memory":
        store: OxigraphStore | RdflibStore = OxigraphStore()
    elif kind == "rdflib":
        store = RdflibStore()
    elif kind == "disk":
        if path is None:
            raise StoreError("an on-disk store needs --path DIR")
        store = OxigraphStore(path)
        state = {
            "curated": _sha256(nt),
            "extra": [[str(f.resolve()), f.stat().st_size, f.stat().st_mtime] for f in files],
        }
        state_file = Path(path) / STATE_FILE
        try:
            previous = json.loads(state_file.read_text()) if state_file.is_file() else None
        except (OSError, ValueError):
            previous = None
        if previous == state:
            return store
        if previous is not None or store.triple_count():
            (progress or (lambda _m: None))(f"the store at {path} holds other data: reloading it")
            store.clear()
        store.load_file(nt, progress=None)
        for file in files:
            store.load_file(file, progress=progress)
        store.flush()
        state_file.write_text(json.dumps(state))
        return store
    else:
        raise StoreError(f"unknown store kind {kind!r}; choose memory, disk, endpoint or rdflib")
    store.load_file(nt)
    for file in files:
        store.load_file(file, progress=progress)
    return store


def default_store() -> OxigraphStore:
    """The embedded default: the curated graph in an in-memory Oxigraph store."""
    store = open_store("memory")
    assert isinstance(store, OxigraphStore)
    return store


def file_uri(path: Path) -> str:
    """A file: IRI for a local path."""
    return Path(os.path.abspath(path)).as_uri()
