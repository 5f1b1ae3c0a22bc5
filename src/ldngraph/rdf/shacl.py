"""SHACL: the shapes in graph/shapes run over the records as RDF, each result located at its record."""

from __future__ import annotations

from pathlib import Path

from ldngraph.core.problems import Level, Problem
from ldngraph.curation.metagraph import Metagraph
from ldngraph.curation.records import Records


def check_shacl(records: Records, metagraph: Metagraph, graph_dir: Path) -> list[Problem]:
    """Run the SHACL shapes over the built graph plus the vocabulary; locate each result at its record."""
    from pyshacl import validate as shacl_validate
    from rdflib import Graph
    from rdflib.namespace import SH

    from ldngraph.core.namespaces import ID
    from ldngraph.rdf.triples import records_to_graph, shapes_path, vocabulary_path

    data = records_to_graph(records, metagraph)
    data.parse(vocabulary_path(graph_dir), format="turtle")
    shapes = Graph().parse(shapes_path(graph_dir), format="turtle")
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    problems: list[Problem] = []
    if conforms:
        return problems
    for result in results.subjects(SH.resultSeverity, None):
        focus = str(results.value(result, SH.focusNode))
        message = str(results.value(result, SH.resultMessage) or "SHACL constraint violated")
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        level = Level.warning if severity in (SH.Warning, SH.Info) else Level.error
        record_id = focus.removeprefix(ID) if focus.startswith(ID) else focus
        located = records.by_id.get(record_id)
        where_file, where_line = (located.file, located.line) if located else ("graph", 0)
        path_text = f" ({str(path).rsplit('#', 1)[-1].rsplit('/', 1)[-1]})" if path else ""
        problems.append(Problem(where_file, where_line, "shacl", f"{message}{path_text}", record_id, level))
    return problems
