"""Build the graph: validate the records, turn them into RDF and write Turtle, N-Triples and JSON-LD.

Output is written atomically: every file goes to a temporary name first and is moved into place
only when all of them are complete, so a failed or killed build leaves the earlier output intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ldngraph.core.problems import LdngraphError, RecordsInvalid, Report
from ldngraph.curation.validate import validate
from ldngraph.rdf.triples import records_to_graph, vocabulary_path

FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "ldngraph.ttl"),
    "nt": ("nt", "ldngraph.nt"),
    "jsonld": ("json-ld", "ldngraph.jsonld"),
}
MANIFEST = "manifest.json"


class BuildError(LdngraphError):
    """The output could not be written (read-only folder, full disk, ...)."""


@dataclass(frozen=True)
class BuildConfig:
    """What to build and where."""

    graph_dir: Path = Path("graph")
    out_dir: Path = Path("build")
    formats: tuple[str, ...] = ("ttl", "nt", "jsonld")
    sources_dir: Path | None = None
    shacl: bool = True


@dataclass
class BuildResult:
    """What a build wrote."""

    files: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    report: Report = field(default_factory=Report)


def build_graph(graph_dir: Path, *, sources_dir: Path | None = None, shacl: bool = True) -> tuple[Graph, Report]:
    """Validate the records and return the full graph (records plus vocabulary) and the report.

    Raises RecordsInvalid when validation finds errors.
    """
    validation = validate(graph_dir, sources_dir=sources_dir, shacl=shacl)
    if not validation.report.ok or validation.metagraph is None:
        raise RecordsInvalid(validation.report)
    graph = records_to_graph(validation.records, validation.metagraph)
    graph.parse(vocabulary_path(graph_dir), format="turtle")
    return graph, validation.report


def load_graph(graph_dir: Path = Path("graph")) -> Graph:
    """The curated graph as an rdflib Graph (records plus vocabulary), validated without SHACL."""
    graph, _ = build_graph(graph_dir, shacl=False)
    return graph


def _serialise(graph: Graph, fmt: str) -> bytes:
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "nt":
        # Sorted lines make the N-Triples output byte-for-byte reproducible.
        text = graph.serialize(format="nt")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", indent=1, auto_compact=True).encode("utf-8")
    return graph.serialize(format=rdflib_format).encode("utf-8")


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write several files so that each is either the old complete file or the new complete one."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target in files:
            # Temporary files left by a build that was killed; no complete output is ever among them.
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                stale.unlink(missing_ok=True)
        for target, payload in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((Path(temp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        where = exc.filename or (next(iter(files)).parent if files else "")
        raise BuildError(f"cannot write build output in {where}: {exc.strerror}") from exc


def build(config: BuildConfig, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Validate, build and write the graph in each requested format; return what was written."""
    say = progress or (lambda _message: None)
    unknown = [f for f in config.formats if f not in FORMATS]
    if unknown:
        raise BuildError(f"unknown format(s) {unknown}; choose from {', '.join(FORMATS)}")
    say("validating records")
    graph, report = build_graph(config.graph_dir, sources_dir=config.sources_dir, shacl=config.shacl)
    payloads: dict[Path, bytes] = {}
    result = BuildResult(triples=len(graph), report=report)
    for fmt in config.formats:
        say(f"serialising {fmt}")
        target = Path(config.out_dir) / FORMATS[fmt][1]
        payloads[target] = _serialise(graph, fmt)
        result.files[fmt] = target
    manifest = {
        "triples": len(graph),
        "files": {path.name: hashlib.sha256(payload).hexdigest() for path, payload in sorted(payloads.items())},
    }
    payloads[Path(config.out_dir) / MANIFEST] = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    say(f"writing {len(payloads)} files to {config.out_dir}")
    write_atomically(payloads)
    return result
