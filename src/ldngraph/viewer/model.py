"""The viewer's model of the graph: typed nodes, edges with the claims behind them, and cards.

This module is the model's one import point; the parts live in:

- :mod:`ldngraph.viewer.terms`: node kinds, evidence levels, directions, layers, IRIs read;
- :mod:`ldngraph.viewer.view`: the data classes (:class:`GraphView`, :class:`NodeView`, ...);
- :mod:`ldngraph.viewer.builder`: :func:`build_view`, the model of an rdflib graph in one pass;
- :mod:`ldngraph.viewer.operations`: :func:`resolve_node`, :func:`neighbourhood`, :func:`cap`,
  :func:`apply_query`;
- :mod:`ldngraph.viewer.synthetic`: :func:`synthetic_graph` for benchmarks and tests.

Links on cards are built only from known CURIE prefixes (:func:`ldngraph.core.namespaces.expand_curie`),
never from free text. Nothing here knows about HTML; :mod:`ldngraph.viewer.page` draws the model.

rdflib is imported inside the functions so that the CLI starts fast.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ldngraph.viewer.builder import build_view, default_predicate_layers
from ldngraph.viewer.operations import apply_query, cap, neighbourhood, resolve_node
from ldngraph.viewer.synthetic import synthetic_graph
from ldngraph.viewer.terms import (
    DCTERMS,
    DIRECTIONS,
    EVIDENCE_LAYERS,
    KIND_LABELS,
    KIND_ORDER,
    LAYERS,
    LEVEL_LABELS,
    LEVELS,
    OWL,
    RDF_TYPE,
    RDFS,
    SKOS,
)
from ldngraph.viewer.view import ClaimView, EdgeView, GraphView, Link, NodeView, ViewError, gc_paused

__all__ = [
    "DCTERMS",
    "DIRECTIONS",
    "EVIDENCE_LAYERS",
    "KIND_LABELS",
    "KIND_ORDER",
    "LAYERS",
    "LEVEL_LABELS",
    "LEVELS",
    "OWL",
    "RDFS",
    "RDF_TYPE",
    "SKOS",
    "ClaimView",
    "EdgeView",
    "GraphView",
    "Link",
    "NodeView",
    "ViewError",
    "apply_query",
    "build_view",
    "cap",
    "default_predicate_layers",
    "evidence_summary",
    "gc_paused",
    "neighbourhood",
    "resolve_node",
    "synthetic_graph",
]


def evidence_summary(view: GraphView, node_id: str) -> dict[str, Any]:
    """For a condition (or any node): the claims on edges into it, counted by level and direction.

    Returns a dict with ``claims`` (count), ``studies`` (distinct study ids), ``best_level``,
    ``by_level`` (level -> direction -> count) and ``rows`` (one per claim, best evidence first).
    A row's ``n`` is the size every surface shows for its study (the primary record's figure where
    there is one, :func:`ldngraph.sparql.answers.primary_n`) and ``article_n`` the article's own
    figure where it differs, as in the named query evidence-for-condition.
    """
    from ldngraph.core import namespaces as ns
    from ldngraph.sparql.answers import primary_n
    from ldngraph.viewer.terms import CARD_FIELDS

    enrolled_field = dict(CARD_FIELDS)[ns.VOCAB + "n_enrolled"]
    rows: list[dict[str, Any]] = []
    for edge in view.edges:
        if edge.target != node_id or not edge.claims:
            continue
        source_node = view.nodes.get(edge.source)
        for claim in edge.claims:
            study = view.nodes.get(claim.study) if claim.study else None
            enrolled = dict(study.fields).get(enrolled_field) if study else None
            n, stated = primary_n(enrolled, claim.fields.get("n")), primary_n(None, claim.fields.get("n"))
            rows.append(
                {
                    "edge": edge.id,
                    "claim": claim.id,
                    "from": source_node.label if source_node else edge.source,
                    "predicate": edge.predicate,
                    "level": claim.level,
                    "rank": claim.rank,
                    "direction": claim.direction,
                    "status": claim.status,
                    "study": claim.study,
                    "study_label": claim.study_label,
                    "n": n,
                    "article_n": stated if stated != n else None,
                }
            )
    rows.sort(key=lambda r: (r["rank"], r["direction"], r["study_label"] or ""))
    by_level: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_level[row["level"]][row["direction"]] += 1
    return {
        "claims": len(rows),
        "studies": sorted({r["study"] for r in rows if r["study"]}),
        "best_level": rows[0]["level"] if rows else None,
        "by_level": {level: dict(counts) for level, counts in by_level.items()},
        "rows": rows,
    }
