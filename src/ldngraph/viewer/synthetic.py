"""Synthetic graphs shaped like the curated one, for benchmarks and tests of the viewer at scale."""

from __future__ import annotations

import random
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.viewer.terms import CLASS_KIND, DIRECTIONS, KIND_LABELS, LEVELS

#: Share of the nodes of each kind (the curated proportions: half of the nodes are studies).
_SHARES: dict[str, float] = {
    "drug": 0.02,
    "dose_regimen": 0.03,
    "protein": 0.03,
    "cell_type": 0.02,
    "molecule": 0.03,
    "process": 0.05,
    "condition": 0.10,
    "study": 0.50,
    "organisation": 0.12,
    "source": 0.10,
}
#: Relative frequency of each evidence level (in the order of LEVELS) among study claims.
_LEVEL_WEIGHTS = [3, 2, 4, 3, 4, 2, 3, 1, 1]
#: Mechanistic claims: (subject kind, predicate, object kind).
_MECHANISM: tuple[tuple[str, str, str], ...] = (
    ("drug", "antagonist_of", "protein"),
    ("protein", "expressed_in", "cell_type"),
    ("cell_type", "produces", "molecule"),
    ("molecule", "contributes_to", "process"),
    ("process", "contributes_to", "condition"),
    ("drug", "modulates", "cell_type"),
)


def synthetic_graph(n_nodes: int, seed: int = 0) -> Any:
    """An rdflib graph of about ``n_nodes`` nodes shaped like the curated one (for benchmarks and tests).

    Kinds in the curated proportions (half of the nodes are studies), every study linked to a regimen,
    a condition, an organisation and a source, one to three claims per study at random evidence levels
    and directions, and mechanistic claims among drugs, receptors, cells and processes. Identifiers are
    made-up labels only: no PMIDs, DOIs or NCT numbers.
    """
    from rdflib import Graph

    graph = Graph()
    maker = _Synthesis(graph, random.Random(seed))
    maker.add_nodes(n_nodes)
    maker.add_studies()
    maker.add_mechanisms(max(4, n_nodes // 10))
    return graph


class _Synthesis:
    """Adds made-up nodes, relations and claims to a graph, drawing every choice from one generator."""

    def __init__(self, graph: Any, rng: random.Random) -> None:
        from rdflib import Literal, URIRef
        from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

        self.add = graph.add
        self.rng = rng
        self.ids: dict[str, list[str]] = {}
        self.claim_no = 0
        self.uri = URIRef
        self.literal = Literal
        self.a, self.label, self.identifier, self.integer = RDF.type, RDFS.label, DCTERMS.identifier, XSD.integer

    def add_nodes(self, n_nodes: int) -> None:
        """Nodes of every kind in their shares, labelled by kind and number; each regimen of a drug."""
        uri, literal, add = self.uri, self.literal, self.add
        classes = {kind: uri(iri) for iri, kind in CLASS_KIND.items()}
        for kind, share in _SHARES.items():
            count = max(1, round(n_nodes * share))
            self.ids[kind] = [f"{kind.replace('_', '-')}-{i}" for i in range(count)]
            for i, node_id in enumerate(self.ids[kind]):
                subject = uri(ns.ID + node_id)
                add((subject, self.a, classes[kind]))
                add((subject, self.identifier, literal(node_id)))
                add((subject, self.label, literal(f"{KIND_LABELS[kind]} {i}")))
        for regimen in self.ids["dose_regimen"]:
            self.rel(regimen, "regimen_of", self.rng.choice(self.ids["drug"]))

    def rel(self, s: str, p: str, o: str) -> None:
        """A direct relation between two nodes."""
        self.add((self.uri(ns.ID + s), self.uri(ns.VOCAB + p), self.uri(ns.ID + o)))

    def claim(self, s: str, p: str, o: str, study: str | None, level: str, layer: str) -> None:
        """A claim for the relation (with a random source, direction and n), and the relation itself."""
        uri, literal, add, vocab, rng = self.uri, self.literal, self.add, ns.VOCAB, self.rng
        self.claim_no += 1
        claim_no = self.claim_no
        subject = uri(f"{ns.ID}claim-{claim_no}")
        add((subject, self.a, uri(vocab + "Claim")))
        add((subject, self.identifier, literal(f"claim-{claim_no}")))
        add((subject, uri(vocab + "subject"), uri(ns.ID + s)))
        add((subject, uri(vocab + "predicate"), uri(vocab + p)))
        add((subject, uri(vocab + "object"), uri(ns.ID + o)))
        add((subject, uri(vocab + "source"), uri(ns.ID + rng.choice(self.ids["source"]))))
        add((subject, uri(vocab + "quote"), literal(f"synthetic quote number {claim_no}")))
        add((subject, uri(vocab + "evidence_level"), uri(ns.LEVEL + level)))
        direction = rng.choices(DIRECTIONS, [6, 2, 1, 1])[0]
        add((subject, uri(vocab + "direction"), uri(ns.DIRECTION + direction)))
        add((subject, uri(vocab + "layer"), uri(ns.LAYER + layer)))
        add((subject, uri(vocab + "claim_status"), uri(ns.STATUS + "asserted")))
        add((subject, uri(vocab + "n"), literal(rng.randint(5, 300), datatype=self.integer)))
        if study:
            add((subject, uri(vocab + "study"), uri(ns.ID + study)))
        self.rel(s, p, o)

    def add_studies(self) -> None:
        """Each study tests a regimen for a condition (a few conditions get most studies), with 1-3 claims."""
        ids, rng, vocab = self.ids, self.rng, ns.VOCAB
        for i, study in enumerate(ids["study"]):
            regimen = rng.choice(ids["dose_regimen"])
            condition = ids["condition"][min(int(rng.paretovariate(1.2)) - 1, len(ids["condition"]) - 1)]
            self.rel(study, "tests", regimen)
            self.rel(study, "investigates", condition)
            self.rel(study, "conducted_by", rng.choice(ids["organisation"]))
            self.rel(study, "reported_in", rng.choice(ids["source"]))
            subject = self.uri(ns.ID + study)
            self.add((subject, self.uri(vocab + "year"), self.literal(1980 + i % 45, datatype=self.integer)))
            self.add((subject, self.uri(vocab + "design"), self.uri(ns.DESIGN + "open_label_pilot")))
            for _ in range(rng.randint(1, 3)):
                level = rng.choices(LEVELS, _LEVEL_WEIGHTS)[0]
                rank = LEVELS.index(level) + 1
                layer = "clinical" if rank <= 4 else "preclinical" if rank <= 6 else "hypothesis"
                self.claim(regimen, "studied_for", condition, study, level, layer)

    def add_mechanisms(self, count: int) -> None:
        """``count`` mechanistic claims (animal or in vitro) along the drug-to-condition chain."""
        ids, rng = self.ids, self.rng
        for _ in range(count):
            sk, p, ok = rng.choice(_MECHANISM)
            # Drawn in this order (subject, object, level): the graph for a seed stays the same.
            subject, obj = rng.choice(ids[sk]), rng.choice(ids[ok])
            self.claim(subject, p, obj, None, rng.choice(("animal", "in_vitro")), "mechanistic")
