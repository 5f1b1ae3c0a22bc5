"""The graph as a typed networkx MultiDiGraph, and the network questions asked of it.

This module is the one import point for the network API; the parts live in:

- :mod:`ldngraph.explore.projection`: :func:`to_networkx`, the projection of the RDF graph (one node
  per entity, one edge per claim, structural edge or record link);
- :mod:`ldngraph.explore.views`: :func:`view` (filtered subgraph views), :func:`level_rank`,
  :func:`resolve` (a node by id, name or synonym);
- :mod:`ldngraph.explore.mechanisms`: :func:`mechanism_paths`, :func:`mechanism_paths_table`,
  :func:`shared_mechanisms`, :func:`broader_conditions`;
- :mod:`ldngraph.explore.centrality`: :func:`centrality`;
- :mod:`ldngraph.explore.notebook`: :func:`show_viewer` and :func:`inline_html` for notebooks.
"""

from __future__ import annotations

from ldngraph.explore.centrality import BIBLIOGRAPHIC_KINDS, centrality
from ldngraph.explore.mechanisms import (
    MECHANISM_KINDS,
    MECHANISM_PREDICATES,
    PRECLINICAL_LEVELS,
    Hop,
    MechanismPath,
    broader_conditions,
    mechanism_paths,
    mechanism_paths_table,
    shared_mechanisms,
)
from ldngraph.explore.notebook import inline_html, show_viewer
from ldngraph.explore.projection import to_networkx
from ldngraph.explore.views import UnknownValue, level_rank, resolve, view

__all__ = [
    "BIBLIOGRAPHIC_KINDS",
    "MECHANISM_KINDS",
    "MECHANISM_PREDICATES",
    "PRECLINICAL_LEVELS",
    "Hop",
    "MechanismPath",
    "UnknownValue",
    "broader_conditions",
    "centrality",
    "inline_html",
    "level_rank",
    "mechanism_paths",
    "mechanism_paths_table",
    "resolve",
    "shared_mechanisms",
    "show_viewer",
    "to_networkx",
    "view",
]
