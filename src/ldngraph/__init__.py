"""ldngraph: a knowledge graph of the mechanisms and clinical evidence for low-dose naltrexone.

The public API is imported lazily so that the command line starts fast::

    import ldngraph
    curated = ldngraph.load_curated()          # validated records
    graph = ldngraph.load_graph()              # rdflib Graph (records + vocabulary)
    report = ldngraph.validate("graph").report # every problem, with file:line
    frame = ldngraph.sparql.query("evidence-for-condition", {"condition": "fibromyalgia"}, dataframe=True, short=True)
    nx_graph = ldngraph.to_networkx()          # typed networkx MultiDiGraph
    ldngraph.verdict("fibromyalgia")           # what the independent studies show, certainty and reasons
    ldngraph.verdict_table()                   # one row per condition, ranked by verdict and certainty
    ldngraph.trials(overdue=True)              # trials as living records
    ldngraph.evidence_table()                  # one row per independent study per condition, with its verdict
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "load_curated": "ldngraph.rdf.curated",
    "Curated": "ldngraph.rdf.curated",
    "validate": "ldngraph.rdf.validate",
    "build": "ldngraph.rdf.build",
    "BuildConfig": "ldngraph.rdf.build",
    "BuildResult": "ldngraph.rdf.build",
    "build_graph": "ldngraph.rdf.build",
    "load_graph": "ldngraph.rdf.build",
    "lint": "ldngraph.curation.lint",
    "compute_stats": "ldngraph.curation.stats",
    "evidence_for": "ldngraph.explore.evidence",
    "find_node": "ldngraph.explore.evidence",
    "records_to_graph": "ldngraph.rdf.triples",
    "query": "ldngraph.sparql.query",
    "open_store": "ldngraph.sparql.store",
    "list_queries": "ldngraph.sparql.named_queries",
    "to_networkx": "ldngraph.explore.network",
    "mechanism_paths": "ldngraph.explore.network",
    "shared_mechanisms": "ldngraph.explore.network",
    "centrality": "ldngraph.explore.network",
    "show_viewer": "ldngraph.explore.network",
    "evidence_rollup": "ldngraph.explore.evidence_map",
    "evidence_table": "ldngraph.explore.evidence_table",
    "export": "ldngraph.explore.export",
    "verdict": "ldngraph.sparql.verdicts",
    "verdict_table": "ldngraph.sparql.verdicts",
    "outcomes_for_condition": "ldngraph.sparql.verdicts",
    "trials": "ldngraph.sparql.trials",
    "since_article": "ldngraph.sparql.trials",
    "LdngraphError": "ldngraph.core.problems",
    "Report": "ldngraph.core.problems",
    "Problem": "ldngraph.core.problems",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ldngraph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
