"""Reading and rewriting SPARQL query text without a parser.

Finds a query's form and the opening brace of its WHERE group (strings, IRIs and comments skipped), and
binds parameters as a VALUES block of escaped terms there: how parameters reach a remote endpoint, and
the hint that lets Oxigraph's optimizer start from them (docs/decisions/0006).
"""

from __future__ import annotations

import re
from typing import Any

from ldngraph.sparql.store_interface import QueryError

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


def subs_names(substitutions: dict[str, Any] | None) -> list[str]:
    """The names of bound variables."""
    return sorted(substitutions or {})


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
