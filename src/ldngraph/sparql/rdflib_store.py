"""rdflib's in-memory store, for comparison and tests only, and the conversion of terms between rdflib and pyoxigraph.

rdflib is imported only when one of these is used, never by importing this module (docs/decisions/0002).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.rdf.user_files import check_user_rdf
from ldngraph.sparql.rdf_files import rdf_format
from ldngraph.sparql.store_interface import Progress, QueryError, QueryResult, QuerySyntaxError, Store, StoreError

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
        fmt_name = rdf_format(path)
        check_user_rdf(path, fmt_name)
        fmt = {"N_TRIPLES": "nt", "TURTLE": "turtle", "N_QUADS": "nquads", "TRIG": "trig", "N3": "n3",
               "RDF_XML": "xml", "JSON_LD": "json-ld"}[fmt_name]
        before = len(self.graph)
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rb") as handle:
                self.graph.parse(handle, format=fmt)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise StoreError(f"{path}: not a complete gzip file ({exc})") from exc
        except MemoryError as exc:
            raise StoreError(f"{path}: cannot load: out of memory") from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise StoreError(f"{path}: cannot load: {str(exc)[:300]}") from exc
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
