"""Rewrite curated files in canonical form: schema column order, rows sorted by id, sorted multi-values.

Canonical TSV: UTF-8 without BOM, LF line ends, every schema column in order, cells stripped,
'|'-separated values sorted and de-duplicated, rows sorted by id, one final newline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldngraph.core.files import write_atomically
from ldngraph.core.problems import Problem
from ldngraph.core.schema import MODEL_BY_FILE, Record, columns
from ldngraph.curation.metagraph import MetagraphError, dump_metagraph, load_metagraph
from ldngraph.curation.records import read_tsv, records_dir


@dataclass
class LintResult:
    """Files that are (or were) not in canonical form, and files lint could not read."""

    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _multi_columns(model: type[Record]) -> set[str]:
    return {name for name, info in model.model_fields.items() if info.annotation == list[str]}


def canonical_tsv(
    path: Path, model: type[Record], display: str, root: Path | None = None
) -> tuple[str | None, list[Problem]]:
    """The canonical text of one TSV file, or None with the problems that stop lint from rewriting it."""
    header, rows, problems = read_tsv(path, display, root)
    blocking = [p for p in problems if p.code not in {"bom", "line-ending", "blank-line"}]
    if blocking or not header:
        return None, blocking or problems
    expected = columns(model)
    unknown = [c for c in header if c not in expected]
    if unknown:
        return None, [Problem(display, 1, "unknown-column", f"unknown column(s) {unknown}; lint leaves the file")]
    multi = _multi_columns(model)
    out_rows: list[list[str]] = []
    for number, cells in rows:
        if len(cells) != len(header):
            return None, [Problem(display, number, "column-count", "wrong number of cells; lint leaves the file")]
        data = dict(zip(header, (c.strip() for c in cells), strict=True))
        row = []
        for name in expected:
            value = data.get(name, "")
            if name in multi and value:
                value = "|".join(sorted({v.strip() for v in value.split("|") if v.strip()}))
            row.append(value)
        out_rows.append(row)
    out_rows.sort(key=lambda r: r[0])
    lines = ["\t".join(expected), *("\t".join(r) for r in out_rows)]
    return "\n".join(lines) + "\n", []


def lint(graph_dir: Path, *, check: bool = False) -> LintResult:
    """Bring every curated file to canonical form (or, with ``check``, only report which are not)."""
    graph_dir = Path(graph_dir)
    result = LintResult()
    writes: dict[Path, bytes] = {}
    folder = records_dir(graph_dir)
    for path in sorted(folder.glob("*.tsv")):
        model = MODEL_BY_FILE.get(path.name)
        if model is None:
            continue
        display = str(path.relative_to(graph_dir.parent)) if path.is_relative_to(graph_dir.parent) else str(path)
        text, problems = canonical_tsv(path, model, display, graph_dir)
        result.problems.extend(problems)
        if text is not None and path.read_bytes() != text.encode("utf-8"):
            result.changed.append(path)
            writes[path] = text.encode("utf-8")
    metagraph_path = graph_dir / "metagraph.yaml"
    try:
        metagraph = load_metagraph(graph_dir)
    except MetagraphError as exc:
        result.problems.append(Problem(str(metagraph_path), 0, "metagraph-file", str(exc)))
    else:
        current = metagraph_path.read_text(encoding="utf-8")
        header = "".join(line + "\n" for line in current.splitlines() if line.startswith("#"))
        canonical = header + dump_metagraph(metagraph)
        if current != canonical:
            result.changed.append(metagraph_path)
            writes[metagraph_path] = canonical.encode("utf-8")
    if not check and writes:
        write_atomically(writes)
    return result
