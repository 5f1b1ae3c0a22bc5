"""Run SPARQL on any store: text, a .rq file, stdin or a named query, with parameters bound as RDF terms.

Library use::

    from ldngraph.sparql.query import query
    rows = query("evidence-for-condition", {"condition": "fibromyalgia"})          # list of dicts
    frame = query("conditions-by-clinical-evidence", dataframe=True)              # pandas DataFrame

Output formats for the command line: table, csv, tsv, json (SPARQL 1.1 Results JSON), markdown,
xml (SPARQL Results XML); CONSTRUCT/DESCRIBE results as turtle or ntriples.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import LdngraphError
from ldngraph.sparql.named_queries import PARAM_TYPES, NamedQuery, get_query, parse_header, query_names
from ldngraph.sparql.store import QueryResult, Store, default_store

SELECT_FORMATS = ("table", "csv", "tsv", "json", "markdown", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")
XSD = "http://www.w3.org/2001/XMLSchema#"


class ParameterError(LdngraphError):
    """A parameter is missing, unknown, or its value matches nothing."""


def read_query(spec: str, *, stdin: Any = None) -> tuple[str, NamedQuery | None]:
    """The text of a query given as SPARQL text, ``-`` (stdin), a .rq file or a named query's name."""
    if spec == "-":
        return (stdin or sys.stdin).read(), None
    candidate = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 512 and "\n" not in spec and "{" not in spec and candidate.is_file()):
        if not candidate.is_file():
            raise LdngraphError(f"query file {spec} does not exist")
        text = candidate.read_text(encoding="utf-8")
        return text, _declared_parameters(candidate, text)
    if "{" in spec or any(word in spec.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        return spec, None
    named = get_query(spec)
    return named.text, named


def _declared_parameters(path: Path, text: str) -> NamedQuery | None:
    """A query file's header, when it declares typed parameters (so they bind as named queries' do)."""
    if not any(line.lstrip().startswith("# param:") for line in text.splitlines()[:40]):
        return None
    return parse_header(path.stem, path, text)


_RESOLVE_EXACT = ns.sparql_prefixes() + (
    "SELECT DISTINCT ?node ?needle ?class WHERE { ?node dcterms:identifier ?needle . ?node a ?class }"
)
_RESOLVE_ANY_EXACT = ns.sparql_prefixes() + "SELECT DISTINCT ?node ?needle WHERE { ?node dcterms:identifier ?needle }"
_RESOLVE = ns.sparql_prefixes() + """SELECT DISTINCT ?node ?how ?needle %s WHERE {
  %s
  { ?node dcterms:identifier ?text BIND(1 AS ?how) }
  UNION { ?node rdfs:label ?text BIND(2 AS ?how) }
  UNION { ?node skos:altLabel ?text BIND(3 AS ?how) }
  FILTER(LCASE(STR(?text)) = LCASE(STR(?needle)))
} ORDER BY ?how ?node"""
_LABELS = ns.sparql_prefixes() + "SELECT ?text %s WHERE { %s ?node rdfs:label ?text } LIMIT 5000"


def resolve_node(store: Store, value: str, type_name: str) -> Any:
    """The IRI of the node of a kind whose id, label or synonym matches ``value`` (case-insensitive)."""
    import pyoxigraph as ox

    cls = PARAM_TYPES[type_name]
    needle = ox.Literal(value.strip())
    subs: dict[str, Any] = {"needle": needle}
    if cls:
        subs["class"] = ox.NamedNode(ns.VOCAB + cls)
    exact = store.execute(_RESOLVE_EXACT if cls else _RESOLVE_ANY_EXACT, subs)
    if exact.rows:
        return exact.rows[0][0]
    pattern = "?node a ?class ." if cls else ""
    projected = "?class" if cls else ""
    found = store.execute(_RESOLVE % (projected, pattern), subs)
    if found.rows:
        best = [row[0] for row in found.rows if row[1] == found.rows[0][1]]
        if len(best) > 1:
            names = ", ".join(sorted(node.value.removeprefix(ns.ID) for node in best))
            raise ParameterError(f"{type_name} {value!r} is ambiguous: it matches {names}")
        return best[0]
    labels = store.execute(_LABELS % (projected, pattern), {"class": subs["class"]} if cls else None)
    names = sorted({row[0].value for row in labels.rows if row[0] is not None})
    close = difflib.get_close_matches(value.strip().lower(), [n.lower() for n in names], n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise ParameterError(f"no {type_name} matches {value!r} (give its id, name or a synonym){hint}")


def to_term(store: Store, value: str, type_name: str) -> Any:
    """Convert a plain value into the RDF term a parameter of ``type_name`` needs."""
    import pyoxigraph as ox

    if type_name == "string":
        return ox.Literal(value)
    if type_name == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        except ValueError as exc:
            raise ParameterError(f"{value!r} is not an integer") from exc
    if type_name == "iri":
        try:
            iri = ox.NamedNode(value)
        except ValueError as exc:
            raise ParameterError(f"{value!r} is not an absolute IRI") from exc
        if ":" not in value or any(c in value for c in " <>\"{}|^`\\"):
            raise ParameterError(f"{value!r} is not an absolute IRI")
        return iri
    return resolve_node(store, value, type_name)


def bind_parameters(store: Store, named: NamedQuery | None, values: dict[str, str]) -> dict[str, Any]:
    """RDF terms for the parameters: typed and resolved for a named query, literals for ad-hoc text."""
    import pyoxigraph as ox

    if named is None:
        return {name: ox.Literal(value) for name, value in values.items()}
    declared = {p.name: p for p in named.params}
    unknown = [name for name in values if name not in declared]
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise ParameterError(f"named query {named.name!r} has no parameter {unknown[0]!r} (it takes {takes})")
    missing = [p for p in named.params if p.name not in values]
    if missing:
        p = missing[0]
        raise ParameterError(
            f"named query {named.name!r} needs parameter {p.name!r} ({p.description or p.type}): "
            f"give -p {p.name} VALUE"
        )
    return {name: to_term(store, value, declared[name].type) for name, value in values.items()}


def run_query(
    store: Store, spec: str, params: dict[str, str] | None = None, *, max_rows: int | None = None
) -> QueryResult:
    """Run a query (text, .rq file, ``-`` or a named query) on a store with parameters bound as terms."""
    text, named = read_query(spec)
    bindings = bind_parameters(store, named, dict(params or {}))
    return store.execute(text, bindings, max_rows=max_rows)


def to_python(term: Any) -> Any:
    """A plain Python value for a term: IRIs and strings as str, numbers as int/float, booleans as bool."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:
        return term.value
    dt = datatype.value
    try:
        if dt in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            return int(term.value)
        if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
    except ValueError:
        return term.value
    return term.value


#: Namespaces of controlled values (and of ldngraph's predicates and classes): in Python a term of one of
#: them is its bare value, ``rct`` not ``level:rct``, the string of the record files, the schema's enums
#: and the networkx projection (decision 0015).
_BARE = (ns.LEVEL, ns.DIRECTION, ns.DESIGN, ns.STATUS, ns.LAYER, ns.DISCREPANCY, ns.BAND, ns.DOMAIN,
         ns.VERDICT, ns.CERTAINTY, ns.VOCAB)


def short_value(term: Any) -> str:
    """The short form of a term in Python (``short=True``), the same strings as the networkx projection.

    Record ids and controlled values bare, as the record files write them (``younger-2013``, ``rct``,
    ``supports``, ``randomised_crossover_trial``, ``completed``, ``studied_for``); other IRIs as CURIEs;
    literals as their text.
    """
    value = getattr(term, "value", None)
    if isinstance(value, str) and getattr(term, "datatype", None) is None and not hasattr(term, "language"):
        for namespace in _BARE:
            if value.startswith(namespace) and len(value) > len(namespace):
                return value[len(namespace):]
    return compact(term)


def _value(term: Any, short: bool) -> Any:
    if short and term is not None and getattr(term, "datatype", None) is None:
        return short_value(term)
    return to_python(term)


def rows_as_dicts(result: QueryResult, *, short: bool = False) -> list[dict[str, Any]]:
    """SELECT results as a list of {variable: Python value}; ``short``: ids and controlled values bare (``rct``)."""
    return [dict(zip(result.variables, (_value(t, short) for t in row), strict=True)) for row in result.rows]


def to_dataframe(result: QueryResult, *, short: bool = False) -> Any:
    """SELECT results as a pandas DataFrame (one column per variable, Python values).

    With ``short``, record ids and controlled values are bare (``fibromyalgia``, ``rct``), as in the record
    files and the networkx projection; other IRIs are CURIEs (``MONDO:0005546``).
    """
    import pandas as pd

    return pd.DataFrame([[_value(t, short) for t in row] for row in result.rows], columns=result.variables)


def query(
    spec: str,
    params: dict[str, str] | None = None,
    *,
    store: Store | None = None,
    dataframe: bool = False,
    short: bool = False,
) -> Any:
    """Run a query from Python and return rows as dicts (or a DataFrame, or a bool for ASK, triples for graphs).

    Args:
        spec: SPARQL text, a .rq file path, or the name of a named query.
        params: parameter values (plain strings, converted to the right RDF terms).
        store: the store to use (default: the curated graph in memory, built when stale).
        dataframe: return a pandas DataFrame instead of a list of dicts.
        short: record ids and controlled values bare (``younger-2013``, ``rct``, ``supports``), the strings of
            the record files and of :func:`ldngraph.to_networkx`; other IRIs as CURIEs (decision 0015).
    """
    result = run_query(store or default_store(), spec, params)
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return result.triples
    return to_dataframe(result, short=short) if dataframe else rows_as_dicts(result, short=short)


# ---------------------------------------------------------------------------------------------
# Output formats

_COMPACT = sorted(((iri, prefix) for prefix, iri in ns.PREFIXES.items()), key=lambda x: -len(x[0]))


_OBO = re.compile(r"http://purl\.obolibrary\.org/obo/([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]+)")


def compact(term: Any) -> str:
    """A short display form: record ids bare, other IRIs as CURIEs, literals as their text."""
    if term is None:
        return ""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        value = term.value
        if value.startswith(ns.ID):
            return value[len(ns.ID) :]
        for iri, prefix in _COMPACT:
            if value.startswith(iri) and value != iri:
                return f"{prefix}:{value[len(iri):]}"
        obo = _OBO.fullmatch(value)
        if obo:  # the OBO PURL convention: .../obo/MONDO_0005546 is MONDO:0005546
            return f"{obo.group(1)}:{obo.group(2)}"
        return f"<{value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.datatype.value == XSD + "decimal":
        try:
            return str(Decimal(term.value).normalize()) if "E" not in term.value.upper() else term.value
        except InvalidOperation:
            return term.value
    return term.value


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(term.value)}</literal>'
    if term.datatype.value != XSD + "string":
        return f'<literal datatype="{xml_escape(term.datatype.value)}">{xml_escape(term.value)}</literal>'
    return f"<literal>{xml_escape(term.value)}</literal>"


def _csv_value(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def format_result(result: QueryResult, fmt: str = "table", *, max_width: int = 40) -> str:
    """Render a result in one of :data:`SELECT_FORMATS` (SELECT/ASK) or :data:`GRAPH_FORMATS` (graphs)."""
    if result.kind == "graph":
        return format_graph(result, fmt)
    if fmt in GRAPH_FORMATS:
        raise LdngraphError(f"--format {fmt} is for CONSTRUCT/DESCRIBE queries; use one of {', '.join(SELECT_FORMATS)}")
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)})
        bindings = [
            {var: _json_term(term) for var, term in zip(result.variables, row, strict=True) if term is not None}
            for row in result.rows
        ]
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
    if fmt == "xml":
        head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        if result.kind == "ask":
            return head + f"<head/><boolean>{'true' if result.boolean else 'false'}</boolean></sparql>\n"
        parts = [head, "<head>", *(f'<variable name="{v}"/>' for v in result.variables), "</head>\n<results>\n"]
        for row in result.rows:
            parts.append("<result>")
            for var, term in zip(result.variables, row, strict=True):
                if term is not None:
                    parts.append(f'<binding name="{var}">{_xml_term(term)}</binding>')
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts)
    if result.kind == "ask":
        answer = "true" if result.boolean else "false"
        return answer if fmt in ("table", "markdown") else f"boolean\n{answer}"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow([_csv_value(t) for t in row])
            return buffer.getvalue()
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in result.rows)
        return "\n".join(lines) + "\n"
    if fmt == "markdown":
        lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
        lines.extend("| " + " | ".join(_markdown_cell(compact(t)) for t in row) + " |" for row in result.rows)
        return "\n".join(lines)
    if fmt == "table":
        from ldngraph.core.tables import format_table

        table = format_table(result.variables, [[compact(t) for t in row] for row in result.rows], max_width=max_width)
        return table + f"\n({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"
    raise LdngraphError(f"unknown format {fmt!r}; choose from {', '.join(SELECT_FORMATS + GRAPH_FORMATS)}")


def format_graph(result: QueryResult, fmt: str = "turtle") -> str:
    """CONSTRUCT/DESCRIBE results as Turtle (with the project's prefixes) or N-Triples."""
    import pyoxigraph as ox

    if fmt in ("table", "turtle"):
        data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=dict(ns.PREFIXES))
    elif fmt == "ntriples":
        data = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
    elif fmt == "xml":
        data = ox.serialize(result.triples, format=ox.RdfFormat.RDF_XML)
    else:
        raise LdngraphError(f"--format {fmt} is for SELECT/ASK queries; use turtle or ntriples for graphs")
    return (data or b"").decode("utf-8")


def known_queries_hint() -> str:
    """A short list of the named queries, for error messages."""
    return ", ".join(query_names())
