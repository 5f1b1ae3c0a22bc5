"""ldngraph: a knowledge graph of the mechanisms and clinical evidence for low-dose naltrexone.

The public API is imported lazily so that the command line starts fast::

    import ldngraph
    curated = ldngraph.load_curated()          # validated records
    graph = ldngraph.load_graph()              # rdflib Graph (records + vocabulary)
    report = ldngraph.validate("graph").report # every problem, with file:line
    frame = ldngraph.query("evidence-for-condition", {"condition": "fibromyalgia"}, dataframe=True, short=True)
    nx_graph = ldngraph.to_networkx()          # typed networkx MultiDiGraph
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "load_curated": "ldngraph.curated",
    "Curated": "ldngraph.curated",
    "validate": "ldngraph.validate",
    "build": "ldngraph.build",
    "BuildConfig": "ldngraph.build",
    "BuildResult": "ldngraph.build",
    "build_graph": "ldngraph.build",
    "load_graph": "ldngraph.build",
    "lint": "ldngraph.lint",
    "compute_stats": "ldngraph.stats",
    "evidence_for": "ldngraph.evidence",
    "find_node": "ldngraph.evidence",
    "records_to_graph": "ldngraph.rdf",
    "query": "ldngraph.query",
    "open_store": "ldngraph.store",
    "list_queries": "ldngraph.named_queries",
    "to_networkx": "ldngraph.network",
    "mechanism_paths": "ldngraph.network",
    "shared_mechanisms": "ldngraph.network",
    "centrality": "ldngraph.network",
    "show_viewer": "ldngraph.network",
    "evidence_rollup": "ldngraph.evidence_map",
    "export": "ldngraph.export",
    "LdngraphError": "ldngraph.problems",
    "Report": "ldngraph.problems",
    "Problem": "ldngraph.problems",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ldngraph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
