"""The metagraph: allowed (subject kind, predicate, object kind) triples and each predicate's layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ldngraph.core.problems import LdngraphError
from ldngraph.core.safe_read import UnsafeFile, read_capped
from ldngraph.core.schema import NODE_KINDS, EvidenceLevel

LAYERS = ("efficacy", "clinical", "mechanistic", "safety", "context")
CLAIM_LAYERS = ("clinical", "preclinical", "hypothesis", "mechanistic", "safety", "context")
VALUE_KIND = "value"


MAX_METAGRAPH_BYTES = 1_000_000
MAX_YAML_DEPTH = 20


class MetagraphError(LdngraphError):
    """graph/metagraph.yaml is missing or malformed."""


class StrictYamlLoader(yaml.SafeLoader):
    """A safe YAML loader for hand-edited files: no aliases (no expansion bombs), no duplicate keys, shallow.

    Each refusal is a YAML error with the line it is on.
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here", mark)
        depth = getattr(self, "_depth", 0)
        if depth >= MAX_YAML_DEPTH:
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", mark)
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:  # noqa: D102
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {str(key)[:80]!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _short(value: object) -> str:
    """A value for an error message, never longer than a line."""
    text = repr(value)
    return text if len(text) <= 100 else text[:97] + "..."


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
        text = read_capped(path, root=graph_dir, max_bytes=MAX_METAGRAPH_BYTES).decode("utf-8")
        data = yaml.load(text, Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except UnsafeFile as exc:
        raise MetagraphError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise MetagraphError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise MetagraphError(f"{path}: not UTF-8 (byte {exc.start})") from exc
    except RecursionError as exc:
        raise MetagraphError(f"{path}: nested too deeply") from exc
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
            raise MetagraphError(
                f"{path}: predicate {_short(predicate)} needs a layer, one of {', '.join(LAYERS)}"
            )
        layers[predicate] = spec["layer"]
        for pair in spec.get("triples") or []:
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in kinds and pair[1] in kinds):
                raise MetagraphError(
                    f"{path}: predicate {_short(predicate)}: {_short(pair)} is not a [subject kind, object kind] pair "
                    f"of known kinds ({', '.join(sorted(kinds))})"
                )
            triples.add((pair[0], predicate, pair[1]))
    return Metagraph(layers=layers, triples=frozenset(triples))


def dump_metagraph(metagraph: Metagraph) -> str:
    """The canonical YAML text of a metagraph, with the explanatory header kept by lint."""
    return yaml.safe_dump(metagraph.to_dict(), sort_keys=True, default_flow_style=None, width=120)
