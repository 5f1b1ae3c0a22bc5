"""Read curated TSV records from ``graph/records/`` into typed models, keeping file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ldngraph.core.problems import Level, Problem, Report
from ldngraph.core.safe_read import UnsafeFile, read_capped
from ldngraph.core.schema import ALL_MODELS, MODEL_BY_FILE, Claim, Edge, Node, Record, columns

MAX_FILE_BYTES = 5_000_000
#: more lines than any curated file needs; bounds memory whatever the bytes are (5 MB of newlines)
MAX_FILE_LINES = 100_000
#: problems of one kind reported per file before the rest are summed up in one line
MAX_PROBLEMS_PER_CODE = 20
CONTROL_CHARS = {chr(c) for c in range(32) if chr(c) not in "\t\n"} | {"\x7f"}


@dataclass(frozen=True)
class Located:
    """A record and where it was read from."""

    record: Record
    file: str
    line: int

    def problem(self, code: str, message: str, level: Level = Level.error) -> Problem:
        """A problem located at this record's file and line."""
        return Problem(self.file, self.line, code, message, self.record.id, level)


@dataclass
class Records:
    """All curated records of a graph directory, indexed by id."""

    root: Path
    nodes: dict[str, Located] = field(default_factory=dict)
    edges: list[Located] = field(default_factory=list)
    claims: list[Located] = field(default_factory=list)
    by_id: dict[str, Located] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        """The node record with this id (KeyError if unknown)."""
        record = self.nodes[node_id].record
        assert isinstance(record, Node)
        return record

    def kind_of(self, node_id: str) -> str | None:
        """The kind of the node with this id, or None if there is none."""
        located = self.nodes.get(node_id)
        return located.record.kind if located else None

    def of_kind(self, kind: str) -> list[Node]:
        """All node records of one kind, sorted by id."""
        found = [loc.record for loc in self.nodes.values() if loc.record.kind == kind]
        return sorted(found, key=lambda r: r.id)  # type: ignore[return-value]

    def all_claims(self) -> list[Claim]:
        """All claims, sorted by id."""
        return sorted((loc.record for loc in self.claims), key=lambda r: r.id)  # type: ignore[return-value]

    def all_edges(self) -> list[Edge]:
        """All structural edges, sorted by id."""
        return sorted((loc.record for loc in self.edges), key=lambda r: r.id)  # type: ignore[return-value]


def records_dir(graph_dir: Path) -> Path:
    """The folder of curated TSV files inside a graph directory."""
    return graph_dir / "records"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_tsv(
    path: Path, display: str, root: Path | None = None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Read one TSV file: its header, its rows with line numbers, and any syntax problems.

    Rows are returned only when the file can be decoded; a problem in one row does not hide others.
    Only a regular file inside ``root`` (the graph folder) is read, and at most MAX_FILE_BYTES of it.
    """
    header, rows, problems = _read_tsv(path, display, root)
    return header, rows, cap_problems(problems, display)


def cap_problems(problems: list[Problem], display: str) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_CODE problems of each code, then one line saying how many more there are."""
    counts: dict[str, int] = {}
    kept: list[Problem] = []
    for problem in problems:
        counts[problem.code] = counts.get(problem.code, 0) + 1
        if counts[problem.code] <= MAX_PROBLEMS_PER_CODE:
            kept.append(problem)
    for code, count in counts.items():
        if count > MAX_PROBLEMS_PER_CODE:
            level = next(p.level for p in problems if p.code == code)
            more = count - MAX_PROBLEMS_PER_CODE
            kept.append(Problem(display, 0, code, f"... and {more} more problem(s) of this kind", level=level))
    return kept


def _read_tsv(
    path: Path, display: str, root: Path | None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    problems: list[Problem] = []
    try:
        raw = read_capped(path, root=root, max_bytes=MAX_FILE_BYTES)
    except UnsafeFile as exc:
        return [], [], [Problem(display, 0, exc.code, str(exc))]
    except OSError as exc:
        return [], [], [Problem(display, 0, "unreadable-file", f"cannot read file: {exc.strerror}")]
    if raw.count(b"\n") > MAX_FILE_LINES:
        return [], [], [Problem(display, 0, "too-many-lines", f"more than {MAX_FILE_LINES} lines; refused")]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(display, 1, "bom", "file starts with a UTF-8 byte-order mark; run `ldngraph lint`"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(display, line, "encoding", f"not UTF-8 (byte 0x{raw[exc.start]:02x})"))
        return [], [], problems
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(display, line, "line-ending", "Windows (CRLF) or CR line ending; run `ldngraph lint`"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        problems.append(Problem(display, 1, "empty-file", "file is empty; it needs at least the header line"))
        return [], [], problems
    header = lines[0].split("\t")
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "":
            problems.append(Problem(display, number, "blank-line", "blank line; remove it", level=Level.warning))
            continue
        bad = sorted({repr(c) for c in line if c in CONTROL_CHARS})
        if bad:
            problems.append(Problem(display, number, "control-character", f"control character(s) {', '.join(bad)}"))
            continue
        rows.append((number, line.split("\t")))
    return header, rows, problems


def _format_validation_error(exc: ValidationError) -> list[str]:
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "row"
        msg = error["msg"].removeprefix("Value error, ")
        value = error.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float) and value != "" else ""
        messages.append(f"{where}: {msg}{shown}")
    return messages


def parse_file(
    path: Path, model: type[Record], display: str, root: Path | None = None
) -> tuple[list[Located], list[Problem]]:
    """Parse one curated file into records of ``model``; every problem is reported, none raised."""
    located, problems = _parse_file(path, model, display, root)
    return located, cap_problems(problems, display)


def _parse_file(
    path: Path, model: type[Record], display: str, root: Path | None
) -> tuple[list[Located], list[Problem]]:
    header, rows, problems = _read_tsv(path, display, root)
    if not header:
        return [], problems
    expected = columns(model)
    unknown = [c for c in header if c not in expected]
    missing = [c for c in expected if c not in header and model.model_fields[c].is_required()]
    if unknown:
        problems.append(
            Problem(display, 1, "unknown-column", f"unknown column(s) {unknown}; allowed: {', '.join(expected)}")
        )
    if missing:
        problems.append(Problem(display, 1, "missing-column", f"missing required column(s) {missing}"))
    if len(set(header)) != len(header):
        problems.append(Problem(display, 1, "duplicate-column", "a column name appears twice"))
    if unknown or missing or len(set(header)) != len(header):
        return [], problems
    located: list[Located] = []
    for number, cells in rows:
        record_id = cells[0].strip() if cells else ""
        if len(cells) != len(header):
            problems.append(
                Problem(
                    display,
                    number,
                    "column-count",
                    f"{len(cells)} cells but the header has {len(header)} columns (tabs inside a value?)",
                    record_id,
                )
            )
            continue
        data = {name: value for name, value in zip(header, cells, strict=True) if value.strip() != ""}
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            for message in _format_validation_error(exc):
                code = "missing-field" if "Field required" in message else "bad-value"
                problems.append(Problem(display, number, code, message, record_id))
            continue
        located.append(Located(record, display, number))
    return located, problems


def load_records(graph_dir: Path) -> tuple[Records, Report]:
    """Load every curated file of a graph directory; return the records and every problem found.

    Unknown files, duplicate ids and file-level syntax problems are reported here; references,
    the metagraph and SHACL are checked by :func:`ldngraph.rdf.validate.validate`.
    """
    graph_dir = Path(graph_dir)
    report = Report()
    records = Records(root=graph_dir)
    folder = records_dir(graph_dir)
    if not folder.is_dir():
        report.add(Problem(str(folder), 0, "missing-folder", "no records folder; expected graph/records/"))
        return records, report
    order = {model.file_name: i for i, model in enumerate(ALL_MODELS)}
    # Nodes first, then edges and claims, so a clash is reported at the claim or edge, not the node.
    paths = sorted(folder.iterdir(), key=lambda p: (order.get(p.name, len(order)), p.name))
    for path in paths:
        display = _relative(path, graph_dir)
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        model = MODEL_BY_FILE.get(path.name)
        if model is None:
            known = ", ".join(sorted(MODEL_BY_FILE))
            report.add(Problem(display, 0, "unknown-file", f"not a known record file; known files: {known}"))
            continue
        located, problems = parse_file(path, model, display, graph_dir)
        report.extend(problems)
        for item in located:
            _index(records, item, report)
    for model in ALL_MODELS:
        if not (folder / model.file_name).exists() and model.kind in {"drug", "condition", "source", "claim"}:
            report.add(Problem(_relative(folder / model.file_name, graph_dir), 0, "missing-file", "required file"))
    return records, report


def _index(records: Records, item: Located, report: Report) -> None:
    record = item.record
    earlier = records.by_id.get(record.id)
    if earlier is not None:
        report.add(
            Problem(
                item.file,
                item.line,
                "duplicate-id",
                f"id {record.id!r} is already used at {earlier.file}:{earlier.line}",
                record.id,
            )
        )
        return
    records.by_id[record.id] = item
    if isinstance(record, Claim):
        records.claims.append(item)
    elif isinstance(record, Edge):
        records.edges.append(item)
    else:
        records.nodes[record.id] = item
