"""Each named query answers its question on the real curated graph (facts, not row counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import same_value
from ldngraph.core.namespaces import finding_iri, statement_iri
from ldngraph.sparql.named_queries import UnknownQuery, get_query, list_queries
from ldngraph.sparql.query import compact, run_query
from ldngraph.sparql.store import open_store

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "naltrexone-targets": (),
    "evidence-for-condition": ("condition",),
    "mechanism-paths": ("condition",),
    "conditions-by-clinical-evidence": (),
    "trials": (),
    "safety": (),
    "contested": (),
    "source-claims": ("source",),
    "preclinical-only": (),
    "verdict": ("condition",),
    "outcomes": ("condition",),
    "since-article": ("source",),
    "regimens": (),
    "verdict-by-domain": ("condition",),
}


@pytest.fixture(scope="module")
def store():
    return open_store("memory")


def rows(store, name, **params):
    result = run_query(store, name, params)
    return [dict(zip(result.variables, (compact(t) for t in row), strict=True)) for row in result.rows]


def test_the_fourteen_named_queries_exist_with_their_parameters():
    found = {q.name: tuple(p.name for p in q.params) for q in list_queries()}
    assert found == EXPECTED
    for query in list_queries():
        assert query.title.endswith("?"), query.name


@pytest.mark.slow
def test_the_wheel_ships_the_one_copy_of_the_named_queries(tmp_path):
    """graph/queries is the only copy in the repository; the build hook puts it in the wheel."""
    import subprocess
    import sys
    import zipfile

    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("ldngraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith("ldngraph/sparql/queries/") and n.endswith(".rq")}
    assert shipped == {p.name for p in (ROOT / "graph" / "queries").glob("*.rq")}
    assert not (ROOT / "src" / "ldngraph" / "queries").exists()


def test_unknown_named_query_lists_the_known_ones():
    with pytest.raises(UnknownQuery) as info:
        get_query("no-such-query")
    assert "evidence-for-condition" in str(info.value) and "trials" in str(info.value)


def test_naltrexone_targets_give_action_and_dose_band(store):
    found = rows(store, "naltrexone-targets")
    assert found
    assert all(r["dose_band"] in ("low", "standard", "very_low", "ultra_low", "not_applicable", "unspecified")
               for r in found)
    bands = {r["dose_band"] for r in found}
    assert "low" in bands
    # every row is about naltrexone or one of its regimens, never another drug's claim
    assert all(r["claim"] and r["target"] for r in found)


def test_evidence_for_fibromyalgia_puts_the_younger_2013_rct_first(store):
    found = rows(store, "evidence-for-condition", condition="FIBROMYALGIA")
    assert found[0]["rank"] == "1"
    younger = [r for r in found if r["study"] == "younger-2013"]
    assert younger and younger[0]["level"] == "level:rct" and younger[0]["n"] == "31"
    assert younger[0]["design"] == "design:randomised_crossover_trial"
    ranks = [int(r["rank"]) for r in found]
    assert ranks == sorted(ranks)
    assert all(r["condition"] == "fibromyalgia" for r in found)


def test_conditions_are_ranked_by_verdict_and_certainty_not_by_counts_of_claims(store):
    found = rows(store, "conditions-by-clinical-evidence")
    order = ["verdict:benefit_shown", "verdict:mixed", "verdict:conflicting", "verdict:no_benefit_shown",
             "verdict:insufficient"]
    ranks = [order.index(r["statement"]) for r in found]
    assert ranks == sorted(ranks)
    fibro = next(r for r in found if r["condition"] == "fibromyalgia")
    assert fibro["statement"] != "verdict:benefit_shown" and int(fibro["n_studies"]) >= 3
    assert int(fibro["claims_supporting"]) > int(fibro["n_studies"])  # restatements never count as studies
    # a condition resting only on preclinical or mechanistic claims has no human study behind its verdict
    preclinical_only = {r["condition"] for r in rows(store, "preclinical-only")}
    for row in found:
        if row["condition"] in preclinical_only:
            assert row["statement"] == "verdict:insufficient" and int(row["n_studies"]) == 0, row


def test_trials_are_one_row_each_with_sponsor_status_and_date(store):
    found = rows(store, "trials")
    trials = [r["trial"] for r in found]
    assert len(trials) == len(set(trials))
    va = [r for r in found if r["trial"] == "nct03008590"]
    assert len(va) == 1 and "VA Boston" in va[0]["sponsors"]
    assert va[0]["nct"] == "NCT03008590" and va[0]["status"].startswith("status:") and va[0]["status_as_of"]
    assert any(r["trial"] == "younger-2013" and r["nct"] == "NCT00568555" for r in found)


def test_safety_rows_are_safety_predicates_with_a_dose_band(store):
    found = rows(store, "safety")
    assert found
    assert {r["kind"] for r in found} <= {"ldn:has_adverse_effect", "ldn:has_caution", "ldn:interacts_with"}
    assert any(r["dose_band"] == "low" for r in found)


def test_contested_holds_the_misreported_younger_2013_number_and_the_disputed_overdose_claim(store):
    found = rows(store, "contested")
    misreported = [r for r in found if r["discrepancy"] == "discrepancy:misreported_number"
                   and r["subject"] == "ldn-4.5mg" and r["object"] == "fibromyalgia"]
    assert misreported and "31" in misreported[0]["primary_says"]
    disputed = [r for r in found if r["reason"] == "disputed statement"]
    assert any(r["subject"] == "naltrexone" and r["object"] == "opioid-overdose" for r in disputed)


def test_source_claims_by_id_and_by_title_agree(store):
    by_id = rows(store, "source-claims", source="003_31158820d64b0034")
    by_title = rows(store, "source-claims", source="is low dose naltrexone helpful?")
    assert by_id == by_title
    assert {r["source"] for r in by_id} == {"003_31158820d64b0034"}
    assert "a003-younger2013-pain" in {r["claim"] for r in by_id}


def test_preclinical_only_claims_have_no_clinical_support(store):
    found = rows(store, "preclinical-only")
    assert found
    assert {r["layer"] for r in found} <= {"layer:preclinical", "layer:hypothesis"}
    assert "fibromyalgia" not in {r["condition"] for r in found}


def test_mechanism_paths_give_each_hop_its_best_level_and_name_the_weakest_hop():
    """A chain of known evidence added to the curated graph: its hop levels and weakest link (decision 0015)."""
    from ldngraph.sparql.store import OxigraphStore

    store = OxigraphStore()
    store.load_file(ROOT / "build" / "ldngraph.nt")
    v = "https://w3id.org/ldngraph/vocab#"
    i = "https://w3id.org/ldngraph/id/"
    lines = [
        f"<{i}tlr4> <{v}expressed_in> <{i}zz-cell> .",
        f"<{i}zz-cell> <{v}mediates> <{i}zz-process> .",
        f"<{i}zz-process> <{v}contributes_to> <{i}fibromyalgia> .",
    ]
    for k, (s, p, o, level) in enumerate([("naltrexone", "antagonist_of", "tlr4", "in_vitro"),
                                          ("ldn-band-low", "antagonist_of", "tlr4", "animal"),
                                          ("tlr4", "expressed_in", "zz-cell", "rct"),
                                          ("zz-cell", "mediates", "zz-process", "anecdote")]):
        c = f"<{i}test-claim-{k}>"
        lines += [f"{c} <{v}subject> <{i}{s}> .", f"{c} <{v}predicate> <{v}{p}> .", f"{c} <{v}object> <{i}{o}> .",
                  f"{c} <{v}claim_status> <https://w3id.org/ldngraph/vocab/status/asserted> .",
                  f"{c} <{v}evidence_level> <https://w3id.org/ldngraph/vocab/level/{level}> ."]
    for node, cls in [("zz-cell", "CellType"), ("zz-process", "BiologicalProcess")]:
        lines.append(f"<{i}{node}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{v}{cls}> .")
    store.load_bytes(("\n".join(lines) + "\n").encode())
    found = rows(store, "mechanism-paths", condition="fibromyalgia")
    path = [r for r in found if (r["node1"], r["node2"], r["node3"]) == ("tlr4", "zz-cell", "zz-process")]
    assert len(path) == 1, found  # naltrexone's and ldn-band-low's edges to TLR4 are one hop of one path
    row = path[0]
    assert row["start"] == "naltrexone" and row["hops"] == "4" and not row["via_condition"]
    # hop 1: the best of the mechanism hypothesis, in_vitro and animal claims; hop 3 the anecdote, the weakest
    assert (row["hop1_level"], row["hop2_level"], row["hop3_level"]) == ("level:animal", "level:rct", "level:anecdote")
    assert not row["hop4_level"]  # zz-process -> fibromyalgia: a link with no claim
    # a hop with a structural edge (established cell biology) has no level, whatever claims it has
    tlr4 = next(r for r in found if (r["node1"], r["node2"]) == ("tlr4", "microglia"))
    assert not tlr4["hop2_level"]
    assert row["weakest_level"] == "level:anecdote" and row["weakest_hop"] == "3: zz-cell -> zz-process"


def test_mechanism_paths_reach_a_condition_through_broader_kinds_and_kinds_of_cells(store):
    fibro = rows(store, "mechanism-paths", condition="fibromyalgia")
    # fibromyalgia is a kind of chronic pain; microglia are glia, which amplify pain
    assert any((r["node1"], r["node2"], r["node3"], r["node4"]) == ("tlr4", "microglia", "glia",
                                                                      "glial-pain-amplification")
               and r["via_condition"] == "chronic-pain" for r in fibro), fibro
    crps = rows(store, "mechanism-paths", condition="crps")
    # microglia drive neuroinflammation, which feeds central sensitisation, which CRPS involves
    assert any((r["node1"], r["node2"], r["node3"]) == ("microglia", "neuroinflammation", "central-sensitisation")
               and not r["via_condition"] for r in crps), crps
    assert all(r["weakest_level"] for r in crps)


def _store_with(lines: list[str]):
    """The curated graph plus some N-Triples lines, in a fresh in-memory Oxigraph store."""
    from ldngraph.sparql.store import OxigraphStore

    store = OxigraphStore()
    store.load_file(ROOT / "build" / "ldngraph.nt")
    store.load_bytes(("\n".join(lines) + "\n").encode())
    return store


def _claim(name: str, subject: str, predicate: str, obj: str, *, source: str, direction: str = "supports",
           study: str | None = None, level: str = "rct") -> list[str]:
    v, i = "https://w3id.org/ldngraph/vocab#", "https://w3id.org/ldngraph/id/"
    c = f"<{i}{name}>"
    lines = [f"{c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{v}Claim> .",
             f"{c} <{v}subject> <{i}{subject}> .", f"{c} <{v}predicate> <{v}{predicate}> .",
             f"{c} <{v}object> <{i}{obj}> .", f"{c} <{v}source> <{i}{source}> .",
             f"{c} <{v}direction> <https://w3id.org/ldngraph/vocab/direction/{direction}> .",
             f"{c} <{v}claim_status> <https://w3id.org/ldngraph/vocab/status/asserted> .",
             f"{c} <{v}layer> <https://w3id.org/ldngraph/vocab/layer/clinical> .",
             f"{c} <{v}evidence_level> <https://w3id.org/ldngraph/vocab/level/{level}> ."]
    lines.append(f"{c} <{v}statement> <{statement_iri(subject, predicate, obj)}> .")  # as `ldngraph build` writes
    if study:
        lines.append(f"{c} <{v}study> <{i}{study}> .")
        lines.append(f"{c} <{v}finding> <{finding_iri(study, predicate, obj)}> .")
    return lines


def test_evidence_for_condition_has_claims_with_the_condition_as_subject_or_object_once_per_role():
    lines = (_claim("t-subject", "fibromyalgia", "subclass_of", "crps", source="003_31158820d64b0034")
             + _claim("t-both", "fibromyalgia", "subclass_of", "fibromyalgia", source="003_31158820d64b0034"))
    found = rows(_store_with(lines), "evidence-for-condition", condition="fibromyalgia")
    claims = [r["claim"] for r in found]
    assert claims.count("t-subject") == 1
    assert claims.count("t-both") == 2  # once as subject, once as object, as the UNION of both roles gives


def test_contested_finds_articles_that_disagree_on_one_study_and_counts_them():
    lines = (_claim("t-study-a", "naltrexone", "studied_for", "crps", source="003_31158820d64b0034",
                    study="cree-2010", direction="supports")
             + _claim("t-study-b", "ldn-4.5mg", "studied_for", "crps", source="000_ddc293f464a7d11d",
                      study="cree-2010", direction="no_effect"))
    found = rows(_store_with(lines), "contested")
    study = {r["claim"]: r for r in found if r["reason"] == "articles disagree on the study"}
    assert {"t-study-a", "t-study-b"} <= set(study)
    assert study["t-study-a"]["articles"] == "2" and study["t-study-b"]["direction"] == "direction:no_effect"
    # different subjects: not the same statement, so no statement disagreement for these two
    assert not any(r["claim"] == "t-study-a" and r["reason"] == "articles disagree on the statement" for r in found)


def test_contested_lists_both_sides_of_a_statement_that_two_articles_disagree_on():
    lines = (_claim("t-stmt-a", "naltrexone-standard", "studied_for", "tongue-cancer",
                    source="003_31158820d64b0034", direction="supports")
             + _claim("t-stmt-b", "naltrexone-standard", "studied_for", "tongue-cancer",
                      source="000_ddc293f464a7d11d", direction="contradicts")
             # one article giving two directions is not articles disagreeing
             + _claim("t-one-a", "naltrexone-standard", "studied_for", "renal-cell-carcinoma",
                      source="003_31158820d64b0034", direction="supports")
             + _claim("t-one-b", "naltrexone-standard", "studied_for", "renal-cell-carcinoma",
                      source="003_31158820d64b0034", direction="no_effect"))
    found = rows(_store_with(lines), "contested")
    statement = {r["claim"]: r for r in found if r["reason"] == "articles disagree on the statement"}
    assert {"t-stmt-a", "t-stmt-b"} <= set(statement)
    assert statement["t-stmt-a"]["articles"] == "2" and statement["t-stmt-a"]["direction"] == "direction:supports"
    assert not {"t-one-a", "t-one-b"} & set(statement)
    assert any(r["claim"] == "t-one-b" and r["reason"] == "null, mixed or contradicting result" for r in found)


@pytest.mark.slow
@pytest.mark.parametrize("size", [4000, 60000])
def test_optimised_queries_give_the_rows_of_their_plain_reference_formulations(size):
    """contested and mechanism-paths are written for Oxigraph's optimizer (claim keys, the few candidate
    claims first, paths in the outer group); tests/resources/reference-queries hold the plain
    formulations they replaced (grouping every claim by subject, predicate and object; paths in a
    subquery), which must give the same rows on the curated graph plus a synthetic one."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_sparql import generate

    store = _store_with(generate(size, seed=5).splitlines())
    reference = ROOT / "tests" / "resources" / "reference-queries"

    def same(name: str, params: dict[str, str]) -> list[tuple[str, ...]]:
        got = [sorted(tuple(str(t) for t in row) for row in run_query(store, spec, params).rows)
               for spec in (name, str(reference / f"{name}.rq"))]
        assert got[0] == got[1], (name, params)
        return got[0]

    contested = same("contested", {})
    reasons = {row[0] for row in contested}
    assert {'"articles disagree on the statement"', '"articles disagree on the study"'} <= reasons, reasons
    with_paths = 0
    for condition in ["fibromyalgia", "crps", *(f"syn-condition-{k}" for k in range(20))]:
        with_paths += bool(same("mechanism-paths", {"condition": condition}))
    assert with_paths > 2


@pytest.mark.slow
def test_named_queries_agree_between_oxigraph_and_rdflib_on_a_synthetic_graph(tmp_path):
    """The benchmark's synthetic graph has shapes the curated one lacks (4-hop paths, study groups)."""
    import sys

    from ldngraph.sparql.store import OxigraphStore, RdflibStore

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_sparql import PARAMS, generate

    data = tmp_path / "synthetic.nt"
    data.write_bytes((ROOT / "build" / "ldngraph.nt").read_bytes() + generate(4000, seed=3).encode())
    ox_store, rdf_store = OxigraphStore(), RdflibStore()
    ox_store.load_file(data)
    rdf_store.load_file(data)
    for named in list_queries():
        params = {p.name: PARAMS[p.name] for p in named.params}
        got = [sorted(tuple(same_value(t) for t in row) for row in run_query(s, named.name, params).rows)
               for s in (ox_store, rdf_store)]
        assert got[0] == got[1], named.name
    with_paths = 0
    for k in range(20):  # synthetic conditions, which do have complete 4-hop paths
        got = [sorted(tuple(str(t) for t in row)
                      for row in run_query(s, "mechanism-paths", {"condition": f"syn-condition-{k}"}).rows)
               for s in (ox_store, rdf_store)]
        assert got[0] == got[1], f"syn-condition-{k}"
        with_paths += bool(got[0])
    assert with_paths


def portability_problems(text: str) -> list[str]:
    """What in a query Oxigraph, rdflib and Virtuoso 7 do not evaluate alike (docs/decisions/0011).

    * FILTER EXISTS / NOT EXISTS: Virtuoso dropped rows beside OPTIONALs (evidence-for-condition 20 -> 11).
    * Zero-length paths (``p?``, ``p*``): Virtuoso answered ``?s ldn:regimen_of? ldnid:naltrexone`` with none.
    * ``p+`` outside a SELECT DISTINCT subquery that binds its start with another pattern: Virtuoso ignores a
      start bound outside the path's group ("transitive start not given", or every start) and gives a node
      once per route.
    * IF(BOUND(...), ...): Virtuoso took BOUND as true for an unbound variable after a UNION.
    * A UNION with a branch that is only BIND/VALUES, unless first in its group: rdflib evaluates a later
      UNION with its variables already bound, and the BIND lets every row through.
    """
    from rdflib.paths import InvPath, MulPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    problems: list[str] = []

    def mul_paths(path):
        if isinstance(path, MulPath):
            yield path
            yield from mul_paths(path.path)
        for child in [*getattr(path, "args", ()), *([path.arg] if isinstance(path, InvPath) else [])]:
            yield from mul_paths(child)

    def constant_only(node) -> bool:
        if not isinstance(node, CompValue):
            return False
        if node.name == "BGP":
            return not node.triples
        return node.name in ("Extend", "ToMultiSet", "values") and (
            node.name == "values" or constant_only(node.get("p")))

    def has(node, name: str) -> bool:
        if isinstance(node, CompValue):
            return node.name == name or any(has(v, name) for k, v in node.items() if k != "_vars")
        return isinstance(node, list | tuple) and any(has(v, name) for v in node)

    def check_bgp(node, distinct: bool) -> None:
        for s, p, _o in node.triples:
            for path in mul_paths(p):
                if path.mod in ("?", "*"):
                    problems.append(f"zero-length path {path.n3()}")
                elif not (distinct and isinstance(s, Variable)
                          and any(t[0] == s and not isinstance(t[1], MulPath) for t in node.triples)):
                    problems.append(f"{path.n3()} outside a SELECT DISTINCT subquery that binds its start")

    def walk(node, distinct: bool = False, later: bool = False) -> None:
        if isinstance(node, list | tuple):
            for item in node:
                walk(item, distinct, later)
            return
        if not isinstance(node, CompValue):
            return
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            problems.append(f"FILTER {node.name[8:]}")
        elif node.name == "Builtin_IF" and has(node.get("arg1"), "Builtin_BOUND"):
            problems.append("IF(BOUND(...))")
        elif node.name == "BGP":
            check_bgp(node, distinct)
        elif node.name == "Union" and later and (constant_only(node.p1) or constant_only(node.p2)):
            problems.append("a UNION with a BIND-only branch after other patterns of its group")
        if node.name == "ToMultiSet":
            distinct = isinstance(node.p, CompValue) and node.p.name == "Distinct"
        for key, value in node.items():
            if key != "_vars":
                walk(value, distinct, later or (node.name in ("Join", "LeftJoin", "Minus") and key == "p2"))

    walk(prepareQuery(text).algebra)
    return problems


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("?c a :Claim . FILTER EXISTS { ?c :p ?x }", "FILTER EXISTS"),
        ("?c a :Claim . FILTER NOT EXISTS { ?c :p ?x }", "FILTER NOTEXISTS"),
        ("?s :regimen_of? :naltrexone", "zero-length path"),
        ("?s :subclass_of* ?t", "zero-length path"),
        ("?s :subclass_of+ ?t", "outside a SELECT DISTINCT"),
        ("{ SELECT ?s ?t WHERE { ?s a :C . ?s :subclass_of+ ?t } }", "outside a SELECT DISTINCT"),
        ("?c :p ?s . OPTIONAL { ?s :q ?b } BIND(IF(BOUND(?b), 1, 2) AS ?k)", "IF(BOUND"),
        ("?c :p ?s . { ?s :r :n } UNION { BIND(:n AS ?s) }", "BIND-only branch"),
        ("{ SELECT DISTINCT ?s ?t WHERE { ?s a :C . ?s :subclass_of+ ?t } }", None),
        ("{ ?s :r :n } UNION { BIND(:n AS ?s) } ?c :p ?s .", None),
        ("?c :p ?s . OPTIONAL { ?s :q ?b } BIND(COALESCE(?b, 2) AS ?k) FILTER(BOUND(?b))", None),
    ],
)
def test_the_portability_check_finds_what_virtuoso_or_rdflib_evaluate_differently(where, problem):
    found = portability_problems(f"PREFIX : <urn:x#> SELECT * WHERE {{ {where} }}")
    assert (any(problem in p for p in found) if problem else not found), found


def test_named_queries_keep_to_the_sparql_that_oxigraph_rdflib_and_virtuoso_evaluate_alike():
    """tests/test_virtuoso.py checks the answers on a real Virtuoso; this names the constructs it got wrong."""
    problems = {named.name: portability_problems(named.text) for named in list_queries()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_regimens_say_what_counts_as_ldn_and_keep_combinations_and_other_bands_apart(store):
    found = {r["regimen"]: r for r in rows(store, "regimens")}
    assert found["ldn-4.5mg"]["category"] == "ldn"
    assert found["ala-ldn-protocol"]["category"] == "combination" and found["ala-ldn-protocol"]["combined_with"]
    assert found["naltrexone-50mg-single"]["category"] == "standard"
    assert found["ldn-0.5mg-pti901"]["category"] == "very_low"
