"""Counts of the curated graph: nodes by kind, edges by predicate, claims by level, layer and direction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ldngraph.curation.metagraph import Metagraph
from ldngraph.curation.records import Records


@dataclass
class Stats:
    """Counts of a curated graph."""

    nodes_by_kind: Counter[str] = field(default_factory=Counter)
    claims_by_predicate: Counter[str] = field(default_factory=Counter)
    claims_by_level: Counter[str] = field(default_factory=Counter)
    claims_by_layer: Counter[str] = field(default_factory=Counter)
    claims_by_direction: Counter[str] = field(default_factory=Counter)
    edges_by_predicate: Counter[str] = field(default_factory=Counter)
    disputed: int = 0
    discrepancies: int = 0


def compute_stats(records: Records, metagraph: Metagraph) -> Stats:
    """Count records by kind, predicate, evidence level, layer and direction."""
    stats = Stats()
    for located in records.nodes.values():
        stats.nodes_by_kind[located.record.kind] += 1
    for edge in records.all_edges():
        stats.edges_by_predicate[edge.predicate] += 1
    for claim in records.all_claims():
        stats.claims_by_predicate[claim.predicate] += 1
        stats.claims_by_level[claim.level.value] += 1
        stats.claims_by_layer[metagraph.claim_layer(claim.predicate, claim.level)] += 1
        stats.claims_by_direction[claim.direction.value] += 1
        stats.disputed += claim.status.value == "disputed"
        stats.discrepancies += claim.discrepancy is not None
    return stats
