"""CURIEs of the records, expanded, compressed and checked with the ``curies`` package and the Bioregistry.

Two tiers, so that loading the graph stays fast:

* :data:`LINKED`, the prefixes the project links (viewer cards, ``skos:exactMatch`` in the RDF, KGX node
  ids). Each is a copy of one Bioregistry record: its canonical prefix, the spelling the records use,
  the URI prefix (one the Bioregistry lists for the resource) and the local-id pattern. A
  :class:`curies.Converter` is built from them on first use (no Bioregistry needed).
  ``tests/test_curies.py`` checks every entry against the installed ``bioregistry`` package;
  ``python -m ldngraph.core.curies PREFIX ...`` prints entries to paste in.
* Every other prefix is looked up in the whole Bioregistry, which the ``bioregistry`` package ships
  (no download). Loading it costs about 3 seconds, so it happens only when a record uses a prefix
  outside :data:`LINKED` (:func:`bioregistry_converter`).

This module imports neither ``curies`` nor ``bioregistry`` at import time.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies


@dataclass(frozen=True)
class Prefix:
    """One linked prefix: a copy of its Bioregistry record, with the spellings the project and Biolink use."""

    prefix: str
    """How the records write it (the project's spelling, Biolink's where Biolink has the prefix)."""
    bioregistry: str
    """The Bioregistry's canonical prefix."""
    biolink: str | None
    """Biolink's spelling (its JSON-LD context), or None when Biolink has no such prefix."""
    uri_prefix: str
    """The URI prefix links are made with: the Bioregistry's own or one of its URI prefix synonyms."""
    pattern: str
    """The Bioregistry's pattern for local ids."""


#: The prefixes links are made from. Copied from the Bioregistry (bioregistry 0.15.6); checked by tests.
LINKED: tuple[Prefix, ...] = (
    Prefix("CHEBI", "chebi", "CHEBI", "http://purl.obolibrary.org/obo/CHEBI_", r"^\d+$"),
    Prefix("MONDO", "mondo", "MONDO", "http://purl.obolibrary.org/obo/MONDO_", r"^\d{7}$"),
    Prefix("DOID", "doid", "DOID", "http://purl.obolibrary.org/obo/DOID_", r"^\d+$"),
    Prefix("CL", "cl", "CL", "http://purl.obolibrary.org/obo/CL_", r"^\d{7}$"),
    Prefix("ECO", "eco", "ECO", "http://purl.obolibrary.org/obo/ECO_", r"^\d{7}$"),
    Prefix("GO", "go", "GO", "http://purl.obolibrary.org/obo/GO_", r"^\d{7}$"),
    Prefix("HP", "hp", "HP", "http://purl.obolibrary.org/obo/HP_", r"^\d{7}$"),
    Prefix("UBERON", "uberon", "UBERON", "http://purl.obolibrary.org/obo/UBERON_", r"^\d+$"),
    Prefix("NCIT", "ncit", "NCIT", "http://purl.obolibrary.org/obo/NCIT_", r"^(C|R|P|A|NHC)\d+$"),
    Prefix("EFO", "efo", "EFO", "http://www.ebi.ac.uk/efo/EFO_", r"^\d{7}$"),
    Prefix("UMLS", "umls", "UMLS", "https://uts.nlm.nih.gov/uts/umls/concept/", r"^C\d+$"),
    Prefix(
        "PR",
        "pr",
        "PR",
        "http://purl.obolibrary.org/obo/PR_",
        r"^(?:\d{9}|[OPQ][0-9][A-Z0-9]{3}[0-9](?:-\d+)?|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}(?:-\d+)?)$",
    ),
    Prefix(
        "UniProtKB",
        "uniprot",
        "UniProtKB",
        "http://purl.uniprot.org/uniprot/",
        r"^([OPQ]\d[A-Z0-9]{3}\d|[A-NR-Z]\d([A-Z][A-Z0-9]{2}\d){1,2})$",
    ),
    Prefix("HGNC", "hgnc", "HGNC", "https://identifiers.org/hgnc:", r"^\d{1,5}$"),
    Prefix("NCBIGene", "ncbigene", "NCBIGene", "https://identifiers.org/ncbigene:", r"^\d+$"),
    Prefix(
        "ENSEMBL",
        "ensembl",
        "ENSEMBL",
        "https://identifiers.org/ensembl:",
        r"^((ENS[FPTG]\d{11}(\.\d+)?)|(FB\w{2}\d{7})|(Y[A-Z]{2}\d{3}[a-zA-Z](\-[A-Z])?)|"
        r"([A-Z_a-z0-9]+(\.)?(t)?(\d+)?([a-z])?))$",
    ),
    Prefix("OMIM", "omim", "OMIM", "https://identifiers.org/mim:", r"^\d+$"),
    Prefix("MESH", "mesh", "MESH", "http://id.nlm.nih.gov/mesh/", r"^(C|D|Q)\d+$"),
    Prefix("DRUGBANK", "drugbank", "DRUGBANK", "https://go.drugbank.com/drugs/", r"^DB\d{5}$"),
    Prefix(
        "PUBCHEM.COMPOUND",
        "pubchem.compound",
        "PUBCHEM.COMPOUND",
        "https://pubchem.ncbi.nlm.nih.gov/compound/",
        r"^\d+$",
    ),
    Prefix("WIKIDATA", "wikidata", "WIKIDATA", "http://www.wikidata.org/entity/", r"^(Q|P|E|L)\d+$"),
    Prefix("ATC", "atc", None, "https://identifiers.org/atc:", r"^[A-Z](\d+([A-Z]{1,2}(\d+)?)?)?$"),
    Prefix("PMID", "pubmed", "PMID", "https://pubmed.ncbi.nlm.nih.gov/", r"^\d+$"),
    Prefix("PMC", "pmc", "PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/", r"^PMC\d+(\.\d+)?$"),
    Prefix("DOI", "doi", "doi", "https://doi.org/", r"^10.\d{2,9}/.*$"),
    Prefix("NCT", "clinicaltrials", "CLINICALTRIALS", "https://www.clinicaltrials.gov/study/", r"^NCT\d{8}$"),
)

_BY_NAME: dict[str, Prefix] = {}
for _entry in LINKED:
    for _name in (_entry.prefix, _entry.bioregistry, _entry.biolink):
        if _name:
            _BY_NAME.setdefault(_name, _entry)


def linked_prefix(prefix: str) -> Prefix | None:
    """The linked prefix a CURIE prefix names: the project's, Biolink's or the Bioregistry's spelling."""
    return _BY_NAME.get(prefix)


@cache
def converter() -> curies.Converter:
    """A :class:`curies.Converter` over :data:`LINKED` (the project's spellings first, the others as synonyms)."""
    import curies

    records = [
        curies.Record(
            prefix=p.prefix,
            uri_prefix=p.uri_prefix,
            prefix_synonyms=sorted({p.bioregistry, p.biolink or p.prefix} - {p.prefix}),
            pattern=p.pattern,
        )
        for p in LINKED
    ]
    return curies.Converter(records)


@cache
def bioregistry_converter() -> curies.Converter:
    """The whole Bioregistry as a :class:`curies.Converter`, from the data the ``bioregistry`` package ships.

    About 3 seconds the first time in a process. ``bioregistry`` is imported first, so ``curies`` never
    falls back to downloading the prefix map.
    """
    import bioregistry

    return bioregistry.get_converter()


def _split(curie: str) -> tuple[str, str] | None:
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        return None
    return prefix, local


def standardize(curie: str) -> str | None:
    """The CURIE in the project's spelling when its prefix is linked and its local id fits, else None.

    >>> standardize("chebi:7465")
    'CHEBI:7465'
    """
    parts = _split(curie)
    entry = linked_prefix(parts[0]) if parts else None
    if parts is None or entry is None or not re.fullmatch(entry.pattern, parts[1]):
        return None
    return f"{entry.prefix}:{parts[1]}"


def expand(curie: str) -> str | None:
    """The IRI of a CURIE whose prefix is linked and whose local id matches the prefix's pattern, else None.

    >>> expand("CHEBI:7465")
    'http://purl.obolibrary.org/obo/CHEBI_7465'
    >>> expand("CHEBI:abc") is None
    True
    """
    standard = standardize(curie)
    return converter().expand(standard) if standard else None


def compress(iri: str) -> str | None:
    """The CURIE (project spelling) of an IRI under a linked URI prefix, or None.

    >>> compress("http://purl.obolibrary.org/obo/MONDO_0005546")
    'MONDO:0005546'
    """
    curie = converter().compress(iri)
    return curie if curie and standardize(curie) == curie else None


def biolink_curie(curie: str) -> str | None:
    """The CURIE in Biolink's spelling (``DOI:x`` becomes ``doi:x``), or None when Biolink lacks the prefix."""
    standard = standardize(curie)
    if standard is None:
        return None
    entry = linked_prefix(standard.split(":", 1)[0])
    return f"{entry.biolink}:{standard.split(':', 1)[1]}" if entry and entry.biolink else None


@dataclass(frozen=True)
class CurieProblem:
    """What is wrong with a CURIE: ``bad-curie`` (an error) or ``curie-not-linked`` (a warning)."""

    code: str
    message: str


def check(curie: str) -> CurieProblem | None:
    """Whether a CURIE is sound: a Bioregistry prefix, and a local id that matches the prefix's pattern.

    A linked prefix is checked against :data:`LINKED` alone; any other loads the whole Bioregistry. A valid
    CURIE whose prefix is not linked is a ``curie-not-linked`` warning: it gets no link, and every load
    of the graph pays for the Bioregistry until the prefix is added to :data:`LINKED`.
    """
    parts = _split(curie)
    if parts is None:
        return CurieProblem("bad-curie", f"{curie!r} is not a CURIE (PREFIX:LOCAL_ID)")
    prefix, local = parts
    entry = linked_prefix(prefix)
    if entry is not None:
        return _pattern_problem(curie, entry.prefix, local, entry.pattern)
    registry = bioregistry_converter()
    canonical = registry.standardize_prefix(prefix)
    if canonical is None:
        hint = _spelling_hint(prefix)
        message = f"{curie!r}: unknown prefix {prefix!r} (no Bioregistry prefix or synonym is spelt so){hint}"
        return CurieProblem("bad-curie", message)
    record = registry.get_record(canonical)
    problem = _pattern_problem(curie, canonical, local, record.pattern if record else None)
    if problem is not None:
        return problem
    return CurieProblem(
        "curie-not-linked",
        f"{curie!r} is valid (Bioregistry prefix {canonical!r}) but the project does not link {prefix!r}: "
        f"add it to ldngraph.core.curies.LINKED (`python -m ldngraph.core.curies {prefix}` prints the entry)",
    )


def _pattern_problem(curie: str, prefix: str, local: str, pattern: str | None) -> CurieProblem | None:
    if pattern is None or re.fullmatch(pattern, local):
        return None
    return CurieProblem(
        "bad-curie", f"{curie!r}: local id {local!r} does not match the pattern {pattern} of {prefix} (Bioregistry)"
    )


def _spelling_hint(prefix: str) -> str:
    lowered = {name.lower(): entry.prefix for name, entry in _BY_NAME.items()}
    if prefix.lower() in lowered:
        return f"; did you mean {lowered[prefix.lower()]}?"
    import bioregistry

    canonical = bioregistry.normalize_prefix(prefix)
    return f"; the Bioregistry knows {canonical!r}" if canonical else ""


# --------------------------------------------------------------------------- keeping LINKED in step


def differences_from_bioregistry() -> list[str]:
    """How :data:`LINKED` departs from the installed Bioregistry (empty when every entry agrees)."""
    registry = bioregistry_converter()
    found = []
    for entry in LINKED:
        record = registry.get_record(entry.bioregistry)
        if record is None:
            found.append(f"{entry.prefix}: {entry.bioregistry!r} is not a Bioregistry prefix")
            continue
        spellings = {record.prefix, *record.prefix_synonyms}
        if entry.prefix not in spellings and entry.prefix.lower() != record.prefix:
            found.append(f"{entry.prefix}: not a spelling of {record.prefix} in the Bioregistry")
        if entry.uri_prefix not in {record.uri_prefix, *record.uri_prefix_synonyms}:
            found.append(f"{entry.prefix}: URI prefix {entry.uri_prefix} is not one of {record.prefix}'s")
        if entry.pattern != record.pattern:
            found.append(f"{entry.prefix}: pattern {entry.pattern} is {record.pattern} in the Bioregistry")
    return found


def entry_source(prefix: str) -> str:
    """A :class:`Prefix` entry for ``prefix`` from the Bioregistry, as Python source to paste into LINKED."""
    registry = bioregistry_converter()
    canonical = registry.standardize_prefix(prefix)
    record = registry.get_record(canonical) if canonical else None
    if record is None:
        raise KeyError(f"{prefix!r} is not a Bioregistry prefix")
    pattern = f'r"{record.pattern}"' if record.pattern else "None"
    return f"    Prefix({prefix!r}, {record.prefix!r}, None, {record.uri_prefix!r}, {pattern}),"


def main(argv: list[str]) -> int:
    """``python -m ldngraph.core.curies [PREFIX ...]``: print LINKED entries, or check LINKED when none given."""
    if argv:
        for prefix in argv:
            print(entry_source(prefix))  # noqa: T201
        print("# set the third field to Biolink's spelling of the prefix, or keep None")  # noqa: T201
        return 0
    problems = differences_from_bioregistry()
    for line in problems:
        print(line)  # noqa: T201
    print(f"{len(LINKED)} linked prefixes, {len(problems)} differences from the Bioregistry")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
