"""Named queries: .rq files whose header comment says what each answers and which parameters it takes.

Header format (comment lines before the first non-comment line)::

    # What is all the evidence for one condition, best first?        <- the first line: what it answers
    # More explanation lines ...
    # param: condition condition — a condition id, name or synonym   <- one line per parameter

A parameter line is ``# param: NAME TYPE — description``. TYPE is one of :data:`PARAM_TYPES`:
node kinds (``condition``, ``source``, ``study``, ``drug``, ``node``) are resolved to the IRI of the
node whose identifier, label or synonym matches the value (case-insensitive); ``string``,
``integer`` and ``iri`` become a literal, an integer literal or an IRI. Values are always bound as
RDF terms, never pasted into the query text.

The queries live in ``graph/queries/`` of a checkout, the only copy in the repository; the wheel's build
hook (setup.py) puts them in ``ldngraph/sparql/queries/`` (docs/decisions/0008-package-layers.md).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ldngraph.core.namespaces import CLASS_NAMES
from ldngraph.core.problems import LdngraphError

#: Parameter types -> the class of node they resolve to ("" for any node, None for plain values).
PARAM_TYPES: dict[str, str | None] = {
    **{kind: CLASS_NAMES[kind] for kind in ("condition", "source", "study", "drug")},
    "node": "",
    "string": None,
    "integer": None,
    "iri": None,
}

_PARAM = re.compile(r"^param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)\s*(?:[—–-]+\s*(?P<doc>.*))?$")


class UnknownQuery(LdngraphError):
    """No named query has this name."""


class QueryFileError(LdngraphError):
    """A named query file has a malformed header."""


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its name (the file stem), what it answers, its parameters and its text."""

    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    text: str = ""

    def usage(self) -> str:
        """How to run it from the command line."""
        params = " ".join(f"-p {p.name} {p.type.upper()}" for p in self.params)
        return f"ldngraph query {self.name}" + (f" {params}" if params else "")


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    """Read the header comment of a named query file."""
    comments: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        comments.append(stripped.lstrip("#").strip())
    if not comments or not comments[0]:
        raise QueryFileError(f"{path}:1: a named query must start with a comment saying what it answers")
    params: list[Param] = []
    description: list[str] = []
    for number, comment in enumerate(comments[1:], start=2):
        if comment.startswith("param:"):
            found = _PARAM.match(comment)
            if not found or found.group("type") not in PARAM_TYPES:
                raise QueryFileError(
                    f"{path}:{number}: malformed parameter line {comment!r}; "
                    f"use '# param: NAME TYPE — description' with TYPE one of {', '.join(PARAM_TYPES)}"
                )
            params.append(Param(found.group("name"), found.group("type"), (found.group("doc") or "").strip()))
        elif comment:
            description.append(comment)
    return NamedQuery(name, path, comments[0], " ".join(description), tuple(params), text)


def queries_dirs() -> list[Path]:
    """Folders searched for named queries, first match wins.

    $LDNGRAPH_QUERIES_DIR, then graph/queries of the default graph folder, then the copy in the package.
    """
    from ldngraph.core.paths import default_graph_dir

    folders: list[Path] = []
    env = os.environ.get("LDNGRAPH_QUERIES_DIR")
    if env:
        folders.append(Path(env))
    folders.append(default_graph_dir() / "queries")
    folders.append(Path(str(resources.files("ldngraph.sparql") / "queries")))
    return folders


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name (a name found in an earlier folder hides later ones)."""
    found: dict[str, NamedQuery] = {}
    for folder in queries_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.rq")):
            if path.stem not in found:
                found[path.stem] = parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return [found[name] for name in sorted(found)]


def query_names() -> list[str]:
    """The names of the named queries."""
    names: set[str] = set()
    for folder in queries_dirs():
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.rq"))
    return sorted(names)


def get_query(name: str) -> NamedQuery:
    """The named query called ``name``; UnknownQuery lists the known ones."""
    for folder in queries_dirs():
        path = folder / f"{name}.rq"
        if re.fullmatch(r"[A-Za-z0-9_-]+", name) and path.is_file():
            return parse_header(name, path, path.read_text(encoding="utf-8"))
    known = ", ".join(query_names()) or "(none found)"
    raise UnknownQuery(f"unknown named query {name!r}; known queries: {known}")
