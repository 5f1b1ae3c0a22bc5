"""Build the graph: validate the records, turn them into RDF and write Turtle, N-Triples and JSON-LD.

Output is written manifest-last: every file goes to a temporary name first; when all are complete the
old manifest is removed, the files are moved into place and the new manifest follows. A reader that finds
the manifest (:func:`complete_output`) therefore reads one build, never a mix; a killed build leaves either
the previous complete build or no manifest, which readers treat as "build again".

Readers check with :func:`ldngraph.rdf.outputs.complete_output`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ldngraph.core.files import WriteError, write_atomically
from ldngraph.core.problems import RecordsInvalid, Report
from ldngraph.rdf.outputs import FORMATS, MANIFEST
from ldngraph.rdf.triples import records_to_graph, vocabulary_path
from ldngraph.rdf.validate import validate


class BuildError(WriteError):
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


def load_graph(graph_dir: Path | None = None) -> Graph:
    """The curated graph as an rdflib Graph (records plus vocabulary), validated without SHACL.

    Without ``graph_dir``, the default graph folder (:func:`ldngraph.core.paths.default_graph_dir`), so this
    works from any working directory.
    """
    from ldngraph.core.paths import default_graph_dir

    graph, _ = build_graph(Path(graph_dir) if graph_dir is not None else default_graph_dir(), shacl=False)
    return graph


def _serialise(graph: Graph, fmt: str) -> bytes:
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "nt":
        # Sorted lines make the N-Triples output byte-for-byte reproducible.
        text = graph.serialize(format="nt")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        document = json.loads(graph.serialize(format="json-ld", auto_compact=True))
        return (json.dumps(_canonical_json(document), indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    return graph.serialize(format=rdflib_format).encode("utf-8")


def _canonical_json(value: object, key: str = "") -> object:
    """JSON-LD with every unordered array sorted, so equal graphs give equal bytes (``@list`` keeps its order)."""
    if isinstance(value, dict):
        return {k: _canonical_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


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
        "sizes": {path.name: len(payload) for path, payload in sorted(payloads.items())},
    }
    manifest_path = Path(config.out_dir) / MANIFEST
    payloads[manifest_path] = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    say(f"writing {len(payloads)} files to {config.out_dir}")
    try:
        write_atomically(payloads, last=manifest_path)
    except WriteError as exc:
        raise BuildError(str(exc).replace("cannot write output", "cannot write build output")) from exc
    return result
