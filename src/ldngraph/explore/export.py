"""Write the graph in the formats other tools read.

=============== ========================================================= ==========================
format          for                                                       written as
=============== ========================================================= ==========================
ttl, nt, jsonld RDF tools (rdflib, Oxigraph, Jena, Protégé)               one file, the full graph
graphml         Gephi, Cytoscape desktop, yEd, networkx                   one file, the projection
cytoscape-json  Cytoscape.js and Cytoscape desktop (JSON import)          one file, the projection
kgx             Biolink KGX TSV (Translator tools), checked with kgx      a folder: nodes + edges TSV
                validate                                                  and a JSON-LD context
csv             spreadsheets, pandas, R                                   a folder: nodes + edges CSV
=============== ========================================================= ==========================

The RDF formats carry everything. The others are built from the networkx projection
(:func:`ldngraph.explore.network.to_networkx`): one node per entity and one edge per claim, structural
edge or record link, with the evidence as edge attributes. Every export is written atomically.
The KGX export (node ids, Biolink categories, predicates and knowledge sources) is made in
:mod:`ldngraph.explore.kgx`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.problems import LdngraphError
from ldngraph.explore.kgx import FILES as KGX_FILES
from ldngraph.explore.kgx import to_kgx

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from ldngraph.curation.metagraph import Metagraph


class ExportError(LdngraphError):
    """An export cannot be made (unknown format, unusable output path)."""


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, what it is for, and the file(s) it writes."""

    name: str
    description: str
    files: tuple[str, ...]

    @property
    def is_folder(self) -> bool:
        """Whether the format writes several files into a folder."""
        return len(self.files) > 1


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("ttl", "RDF Turtle (the full graph)", ("ldngraph.ttl",)),
        ExportFormat("nt", "RDF N-Triples, sorted lines (the full graph)", ("ldngraph.nt",)),
        ExportFormat("jsonld", "RDF JSON-LD (the full graph)", ("ldngraph.jsonld",)),
        ExportFormat("graphml", "GraphML for Gephi, Cytoscape and yEd", ("ldngraph.graphml",)),
        ExportFormat("cytoscape-json", "Cytoscape.js elements JSON", ("ldngraph.cyjs",)),
        ExportFormat("kgx", "Biolink KGX nodes and edges TSV, with a JSON-LD context", KGX_FILES),
        ExportFormat("csv", "nodes and edges tables as CSV", ("nodes.csv", "edges.csv")),
    )
}
RDF_FORMATS = ("ttl", "nt", "jsonld")
#: Node columns written first in the csv export (the rest follow in name order).
NODE_COLUMNS = ["id", "kind", "label", "iri"]
#: Edge columns written first in the csv export (the rest follow in name order).
EDGE_COLUMNS = ["id", "source", "target", "predicate", "origin", "layer", "level", "direction", "status"]


def _check_format(fmt: str) -> ExportFormat:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return FORMATS[fmt]


def _scalar(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# --------------------------------------------------------------------------- renderers


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """The projected graph as GraphML (node and edge attributes as typed GraphML keys)."""
    import networkx as nx

    clean = nx.MultiDiGraph(name=graph.graph.get("name", "ldngraph"))
    for node, data in graph.nodes(data=True):
        clean.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        clean.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in data.items() if x is not None})
    buffer = io.BytesIO()
    nx.write_graphml(clean, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_cytoscape(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The projected graph in Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``).

    Every node's ``data`` has ``id``, ``name`` (its label), ``kind`` and its other attributes; every
    edge's ``data`` has ``id`` (claim or edge id), ``source``, ``target``, ``interaction`` (the
    predicate, which Cytoscape desktop shows) and the evidence attributes. The same document reads back
    with :func:`networkx.cytoscape_graph`.
    """
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None}
        attrs.update({"id": node, "name": str(data.get("label", node)), "value": node})
        nodes.append({"data": attrs})
    edges = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        attrs = {k: _scalar(x) for k, x in data.items() if x is not None}
        attrs.update({"id": str(key), "key": str(key), "source": u, "target": v})
        attrs["interaction"] = data.get("predicate", "")
        edges.append({"data": attrs})
    return {
        "data": {"name": "ldngraph"},
        "directed": True,
        "multigraph": True,
        "elements": {"nodes": nodes, "edges": edges},
    }


def _table(rows: list[dict[str, Any]], first: list[str], *, delimiter: str = ",") -> bytes:
    columns = list(first) + sorted({k for row in rows for k in row} - set(first))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else _scalar(row.get(k))) for k in columns})
    return buffer.getvalue().encode("utf-8")


def to_csv_tables(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """Nodes and edges as two CSV tables (``nodes.csv``, ``edges.csv``), one column per attribute."""
    nodes = [{"id": node, **data} for node, data in sorted(graph.nodes(data=True))]
    edges = [
        {**data, "id": str(key), "source": u, "target": v}
        for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    ]
    return {"nodes.csv": _table(nodes, NODE_COLUMNS), "edges.csv": _table(edges, EDGE_COLUMNS)}


def render(
    fmt: str, rdf: Graph, graph: nx.MultiDiGraph | None = None, *, metagraph: Metagraph | None = None
) -> dict[str, bytes]:
    """The files of one export format as bytes, keyed by file name.

    Args:
        fmt: a key of :data:`FORMATS`.
        rdf: the full RDF graph (records plus vocabulary).
        graph: its networkx projection; made from ``rdf`` when not given (not needed for RDF formats).
        metagraph: passed on to :func:`ldngraph.explore.network.to_networkx` when the projection is made here.
    """
    from ldngraph.rdf.build import _serialise

    spec = _check_format(fmt)
    if fmt in RDF_FORMATS:
        return {spec.files[0]: _serialise(rdf, fmt)}
    if graph is None:
        from ldngraph.explore.projection import to_networkx

        graph = to_networkx(rdf, metagraph=metagraph)
    if fmt == "graphml":
        return {spec.files[0]: to_graphml(graph)}
    if fmt == "cytoscape-json":
        text = json.dumps(to_cytoscape(graph), indent=1, ensure_ascii=False, sort_keys=True)
        return {spec.files[0]: (text + "\n").encode("utf-8")}
    if fmt == "kgx":
        return to_kgx(graph, rdf)
    return to_csv_tables(graph)


def default_output(fmt: str) -> Path:
    """Where an export goes by default: a file or folder under ``build/export/``."""
    from ldngraph.core.paths import default_build_dir

    spec = _check_format(fmt)
    base = default_build_dir() / "export"
    return base / fmt if spec.is_folder else base / spec.files[0]


def export(
    fmt: str,
    out: Path | str | None = None,
    source: Graph | Path | str | None = None,
) -> list[Path]:
    """Write the graph in one format, atomically.

    Args:
        fmt: ttl, nt, jsonld, graphml, cytoscape-json, kgx or csv.
        out: the file to write, or for kgx and csv the folder; default under ``build/export/``.
        source: an rdflib Graph, a graph folder, or None for the default graph folder.

    Returns:
        The paths written.

    Raises:
        ExportError: for an unknown format or an output path of the wrong sort.
    """
    from rdflib import Graph

    from ldngraph.core.paths import default_graph_dir
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.build import load_graph, write_atomically

    spec = _check_format(fmt)
    target = Path(out) if out is not None else default_output(fmt)
    if spec.is_folder and target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; format {fmt} writes a folder ({', '.join(spec.files)})")
    if not spec.is_folder and target.is_dir():
        target = target / spec.files[0]
    if isinstance(source, Graph):
        rdf, metagraph = source, None
    else:
        folder = Path(source) if source is not None else default_graph_dir()
        rdf, metagraph = load_graph(folder), load_metagraph(folder)
    payloads = render(fmt, rdf, metagraph=metagraph)
    paths = {(target / name if spec.is_folder else target): data for name, data in payloads.items()}
    write_atomically(paths)
    return list(paths)
