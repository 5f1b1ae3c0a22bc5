"""Which queries the endpoint refuses, decided on the query as a SPARQL 1.1 parser reads it.

Refused: SPARQL Update and LOAD, SERVICE, FROM and FROM NAMED (the endpoint never makes outbound requests and
serves one graph), and text that is not SPARQL 1.1 when it holds a word that could be one of those keywords.
The check runs inside a query worker, so within the query timeout, and each worker caches its decisions.
See docs/decisions/0007 (which supersedes the tokenizer of 0005).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


def _parts(tree: Any) -> Iterator[tuple[str, Any]]:
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
