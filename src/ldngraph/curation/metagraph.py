"""The metagraph: allowed (subject kind, predicate, object kind) triples and each predicate's layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ldngraph.core.problems import LdngraphError
from ldngraph.core.schema import NODE_KINDS, EvidenceLevel

LAYERS = ("efficacy", "clinical", "mechanistic", "safety", "context")
CLAIM_LAYERS = ("clinical", "preclinical", "hypothesis", "mechanistic", "safety", "context")
VALUE_KIND = "value"


class MetagraphError(LdngraphError):
    """graph/metagraph.yaml is missing or malformed."""


@dataclass(frozen=True)
class Metagraph:
    """Predicates with their layer and the kind pairs each allows."""

    layers: dict[str, str]
    triples: frozenset[tuple[str, str, str]]

    @property
    def predicates(self) -> list[str]:
        """All predicate names, sorted."""
        return sorted(self.layers)

    def allows(self, subject_kind: str, predicate: str, object_kind: str) -> bool:
        """Whether the metagraph allows this triple of kinds."""
        return (subject_kind, predicate, object_kind) in self.triples

    def object_kinds(self, subject_kind: str, predicate: str) -> list[str]:
        """Object kinds allowed after this subject kind and predicate."""
        return sorted({o for s, p, o in self.triples if s == subject_kind and p == predicate})

    def claim_layer(self, predicate: str, level: EvidenceLevel) -> str:
        """The layer a claim belongs to, from its predicate and evidence level."""
        layer = self.layers[predicate]
        if layer != "efficacy":
            return layer
        if level.is_clinical:
            return "clinical"
        if level in (EvidenceLevel.animal, EvidenceLevel.in_vitro):
            return "preclinical"
        return "hypothesis"

    def to_dict(self) -> dict[str, dict[str, object]]:
        """The canonical (sorted) form written to metagraph.yaml."""
        out: dict[str, dict[str, object]] = {}
        for predicate in self.predicates:
            pairs = sorted([s, o] for s, p, o in self.triples if p == predicate)
            out[predicate] = {"layer": self.layers[predicate], "triples": pairs}
        return {"predicates": out}


def load_metagraph(graph_dir: Path) -> Metagraph:
    """Read graph/metagraph.yaml; raise MetagraphError naming the problem."""
    path = Path(graph_dir) / "metagraph.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MetagraphError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise MetagraphError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("predicates"), dict):
        raise MetagraphError(f"{path}: expected a mapping with a 'predicates' key")
    layers: dict[str, str] = {}
    triples: set[tuple[str, str, str]] = set()
    kinds = set(NODE_KINDS) | {VALUE_KIND}
    for predicate, spec in data["predicates"].items():
        if not isinstance(spec, dict) or spec.get("layer") not in LAYERS:
            raise MetagraphError(f"{path}: predicate {predicate!r} needs a layer, one of {', '.join(LAYERS)}")
        layers[predicate] = spec["layer"]
        for pair in spec.get("triples") or []:
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in kinds and pair[1] in kinds):
                raise MetagraphError(
                    f"{path}: predicate {predicate!r}: {pair!r} is not a [subject kind, object kind] pair "
                    f"of known kinds ({', '.join(sorted(kinds))})"
                )
            triples.add((pair[0], predicate, pair[1]))
    return Metagraph(layers=layers, triples=frozenset(triples))


def dump_metagraph(metagraph: Metagraph) -> str:
    """The canonical YAML text of a metagraph, with the explanatory header kept by lint."""
    return yaml.safe_dump(metagraph.to_dict(), sort_keys=True, default_flow_style=None, width=120)
