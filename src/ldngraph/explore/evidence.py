"""The evidence for one condition, best first, and name look-up for records.

The evidence is the answer of the named query ``evidence-for-condition``
(:func:`ldngraph.sparql.answers.evidence_for_condition`); this module gives it for a set of loaded
records, so ``ldngraph.evidence_for`` and ``ldngraph evidence`` show the same studies and n as
``ldngraph query evidence-for-condition``.
"""

from __future__ import annotations

from ldngraph.core.schema import Condition
from ldngraph.curation.records import Records
from ldngraph.sparql.answers import EvidenceRow, curated_store, evidence_for_condition, match_name

__all__ = ["EvidenceRow", "evidence_for", "find_node"]


def find_node(records: Records, name: str, kind: str) -> str:
    """The id of the node of ``kind`` whose id, name or synonym matches ``name`` (case-insensitive).

    Raises UnknownName with the nearest names when nothing matches.
    """
    candidates = ((node.id, node.name, node.synonyms) for node in records.of_kind(kind))
    return match_name(name, candidates, kind)


def evidence_for(
    records: Records, condition: str, layer_of: dict[str, str] | None = None
) -> tuple[Condition, list[EvidenceRow]]:
    """Every efficacy claim about a condition, best evidence first (level, then larger n, then newer).

    The rows are those of the named query evidence-for-condition on the graph the records were read
    from (``records.root``), keeping the efficacy claims (studied_for, the condition as object); ``n``
    is the primary record's figure where there is one. ``layer_of`` is accepted for older callers and
    not needed: each row's layer is the one the graph records.
    """
    del layer_of  # the graph carries each claim's layer
    with curated_store(records.root) as store:
        answer = evidence_for_condition(condition, store)
    node = records.node(answer.condition)
    assert isinstance(node, Condition)
    return node, answer.efficacy
