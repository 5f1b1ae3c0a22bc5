"""Generate the vocabulary tables of docs/vocabulary.md from the vocabulary and the metagraph.

The tables go between the markers ``<!-- section: vocabulary -->`` and ``<!-- /section: vocabulary -->``.
Run ``python -m ldngraph.rdf.vocab_docs`` to rewrite them; tests/test_docs.py fails when they are out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from ldngraph.core.paths import default_graph_dir
from ldngraph.curation.metagraph import load_metagraph
from ldngraph.rdf.triples import CLAIM_CLASS_BY_LAYER, CLASS_BY_KIND, vocabulary_path

START = "<!-- section: vocabulary -->"
END = "<!-- /section: vocabulary -->"


def _short(iri: str) -> str:
    return iri.replace("https://w3id.org/biolink/vocab/", "biolink:").replace(
        "https://w3id.org/ldngraph/vocab#", "ldn:"
    )


def vocabulary_markdown(graph_dir: Path) -> str:
    """Markdown tables of node classes, claim classes and predicates, and a mermaid diagram of the metagraph."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS, SKOS

    vocab = Graph().parse(vocabulary_path(graph_dir), format="turtle")
    metagraph = load_metagraph(graph_dir)

    def mapping(term: URIRef) -> str:
        found = []
        for prop, label in ((SKOS.exactMatch, "="), (SKOS.closeMatch, "~"), (SKOS.broadMatch, "<")):
            found += [f"{label} `{_short(str(o))}`" for o in sorted(vocab.objects(term, prop))]
        return ", ".join(found)

    def definition(term: URIRef) -> str:
        return str(vocab.value(term, SKOS.definition) or "").replace("|", "/")

    lines = ["", "Node kinds (file in `graph/records/`, class, Biolink mapping: `=` exact, `~` close, `<` broad):", ""]
    lines += ["| kind | class | definition | Biolink |", "|---|---|---|---|"]
    for kind, cls in CLASS_BY_KIND.items():
        lines.append(f"| `{kind}` | `{_short(str(cls))}` | {definition(cls)} | {mapping(cls)} |")
    lines += ["", "Claims (each evidence-bearing statement), by layer:", ""]
    lines += ["| class | definition | Biolink |", "|---|---|---|"]
    for cls in [URIRef("https://w3id.org/ldngraph/vocab#Claim"), *CLAIM_CLASS_BY_LAYER.values()]:
        lines.append(f"| `{_short(str(cls))}` | {definition(cls)} | {mapping(cls)} |")
    lines += ["", "Predicates (the metagraph allows exactly these subject and object kinds):", ""]
    lines += ["| predicate | label | layer | subject -> object kinds | Biolink |", "|---|---|---|---|---|"]
    for predicate in metagraph.predicates:
        term = URIRef("https://w3id.org/ldngraph/vocab#" + predicate)
        pairs = sorted(f"{s} -> {o}" for s, p, o in metagraph.triples if p == predicate)
        label = vocab.value(term, RDFS.label) or ""
        lines.append(
            f"| `ldn:{predicate}` | {label} | {metagraph.layers[predicate]} | {'; '.join(pairs)} | {mapping(term)} |"
        )
    lines += [
        "",
        "The metagraph as a diagram (node kinds and the predicates between them):",
        "",
        "```mermaid",
        "graph LR",
    ]
    seen: set[tuple[str, str, str]] = set()
    for subject, predicate, obj in sorted(metagraph.triples):
        if obj == "value" or subject == obj:
            continue
        key = (subject, predicate, obj)
        if key not in seen:
            seen.add(key)
            lines.append(f"  {subject} -->|{predicate}| {obj}")
    lines += ["```", ""]
    return "\n".join(lines)


def vocabulary_page(graph_dir: Path) -> Path:
    """The page that holds the generated tables: docs/vocabulary.md beside the graph folder."""
    return Path(graph_dir).resolve().parent / "docs" / "vocabulary.md"


def update_page(page: Path, graph_dir: Path, *, check: bool = False) -> bool:
    """Rewrite the vocabulary section of ``page``; return True if it was (or would be) changed.

    Raises ValueError when the page lacks the section markers (so a missing section is never "up to date").
    """
    text = page.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{page} has no {START} ... {END} section")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    new = pattern.sub(lambda _m: START + vocabulary_markdown(graph_dir) + END, text)
    if new == text:
        return False
    if not check:
        page.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    graph = default_graph_dir()
    target = vocabulary_page(graph)
    changed = update_page(target, graph)
    print(f"{target}: vocabulary section {'rewritten' if changed else 'up to date'}")  # noqa: T201
