"""The fixes of the December 2026 audit (../shared/reference/audit-2026-12.md), one test per finding.

E findings are claims the audit found captured with an error; M findings are statements it found missing;
"issue" tests pin the points of the project's issue on the same data. Each test reads the curated records
or the built graph.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from ldngraph.core import namespaces as ns
from ldngraph.rdf.triples import predicate_iri

A000, A001, A002, A003, A004 = (
    "000_ddc293f464a7d11d",
    "001_82ef6a1e079c3104",
    "002_9dadc77efbfb02d8",
    "003_31158820d64b0034",
    "004_764fb58dbcdbb06f",
)
VOCAB = "https://w3id.org/ldngraph/vocab#"


@pytest.fixture(scope="module")
def claims(curated):
    return {c.id: c for c in curated.records.all_claims()}


def value(field):
    """The plain value of a record field (enum members by their value)."""
    return getattr(field, "value", field)


def node(name: str) -> URIRef:
    return URIRef(ns.ID + name)


def direct(graph, subject: str, predicate: str, obj: str) -> bool:
    return (node(subject), predicate_iri(predicate), node(obj)) in graph


def claim_nodes(graph, subject: str, predicate: str, obj: str) -> list[str]:
    rows = graph.query(
        "SELECT ?c WHERE { ?c a ldn:Claim ; ldn:subject ?s ; ldn:predicate ?p ; ldn:object ?o }",
        initNs={"ldn": VOCAB},
        initBindings={"s": node(subject), "p": predicate_iri(predicate), "o": node(obj)},
    )
    return [str(r.c) for r in rows]


# --------------------------------------------------------------------------------------------- article 000


def test_e000_1_stanford_recruiting_is_a_status_claim_not_a_second_conducted_by(claims):
    status = claims["a000-stanford-trial-still-recruiting"]
    assert status.predicate != "conducted_by"
    assert status.study == "stanford-crps-trial"
    assert "recruiting" in (status.effect or "") and "no conclusions" in status.effect
    assert value(status.discrepancy) == "unverified" and "registration" in status.primary_says
    conducted = [
        c
        for c in claims.values()
        if c.source == A000
        and (c.subject, c.predicate, c.object) == ("stanford-crps-trial", "conducted_by", "stanford-university")
    ]
    assert [c.id for c in conducted] == ["a000-stanford-trial-conducted-by"]


# --------------------------------------------------------------------------------------------- article 001


def test_e001_2_crohns_up_to_80pc_is_flagged_against_the_review(claims):
    claim = claims["a001-crohns-up-to-80"]
    assert claim.study == "younger-2014" and "80%" in claim.effect
    assert value(claim.discrepancy) == "unverified"
    assert "no response rate" in claim.primary_says and "88%" in claim.primary_says


def test_e001_3_long_term_low_dose_caution_is_filed_against_the_low_dose_only(claims, rdf_graph):
    on_standard = [
        c.id for c in claims.values() if c.subject == "naltrexone-standard" and c.object == "long-term-safety-unknown"
    ]
    assert on_standard == []
    assert not claim_nodes(rdf_graph, "naltrexone-standard", "has_caution", "long-term-safety-unknown")
    assert claims["a001-long-term-low-dose-unknown"].subject == "ldn-band-low"
    safe = claims["a001-standard-dose-safe-history"]
    assert (safe.subject, safe.predicate, safe.object) == (
        "naltrexone-standard",
        "has_adverse_effect",
        "adverse-effects-general",
    )
    assert value(safe.direction) == "contradicts"


def test_e001_4_low_withdrawal_risk_is_not_an_opioid_withdrawal_claim(claims, rdf_graph):
    from_001 = [c.id for c in claims.values() if c.source == A001 and c.object == "opioid-withdrawal"]
    assert from_001 == []
    claim = claims["a001-low-withdrawal-risk"]
    assert claim.predicate == "has_adverse_effect" and claim.object == "discontinuation-symptoms"
    assert value(claim.direction) == "contradicts"
    assert not claim_nodes(rdf_graph, "ldn-band-low", "has_adverse_effect", "opioid-withdrawal")


# --------------------------------------------------------------------------------------------- article 002


def test_e002_1_one_status_claim_per_launched_trial(claims):
    launched = {c.study: c for c in claims.values() if c.source == A002 and "launched new clinical trials" in c.quote}
    assert set(launched) == {"nct03008590", "nct02965768", "nct02806440"}
    assert all(c.predicate == "tests" and c.subject == c.study for c in launched.values())
    assert value(launched["nct02965768"].discrepancy) == "overstated"
    assert "never ran" in launched["nct02965768"].primary_says
    assert "completed" in launched["nct03008590"].note and "completed" in launched["nct02806440"].note


def test_e002_2_arthritis_pain_sources_point_at_arthritis_not_chronic_pain(claims, curated):
    for cid in ("a002-arthritis-pain-brain", "a002-arthritis-pain-inflammation", "a002-arthritis-pain-perception"):
        assert claims[cid].object == "arthritis", cid
    parents = {
        e.subject for e in curated.records.all_edges() if e.predicate == "subclass_of" and e.object == "arthritis"
    }
    assert parents == {"osteoarthritis", "inflammatory-arthritis"}
    assert not [c.id for c in claims.values() if "Pain in arthritis" in c.quote and c.object == "chronic-pain"]


def test_e002_3_opioids_for_fibromyalgia_is_not_supporting(claims, rdf_graph):
    claim = claims["a002-fibromyalgia-opioids"]
    assert value(claim.direction) != "supports"
    assert not direct(rdf_graph, "opioid-analgesics", "indicated_for", "fibromyalgia")


def test_issue_university_of_copenhagen_is_not_the_trials_institution(claims, rdf_graph):
    from ldngraph.sparql.query import compact, run_query
    from ldngraph.sparql.store import open_store

    claim = claims["a002-copenhagen-trial-conducted-by"]
    assert value(claim.discrepancy) == "misattributed" and "Rigshospitalet" in claim.primary_says
    assert not direct(rdf_graph, "nct02806440", "conducted_by", "university-of-copenhagen")
    assert direct(rdf_graph, "nct02806440", "conducted_by", "rigshospitalet")
    result = run_query(open_store("memory"), "trials", {})
    variables = list(result.variables)
    study_var = "study" if "study" in variables else "trial"
    if "institution" in variables:  # one row per institution (ids)
        institutions = {
            str(compact(row[variables.index("institution")]))
            for row in result.rows
            if str(compact(row[variables.index(study_var)])).endswith("nct02806440")
        }
        assert institutions in ({"rigshospitalet"}, {"ldnid:rigshospitalet"}), institutions
    else:  # one row per trial, sponsors as labels joined by "; "
        rows = [row for row in result.rows if str(compact(row[variables.index(study_var)])).endswith("nct02806440")]
        assert len(rows) == 1
        sponsors = str(rows[0][variables.index("sponsors")]).strip('"').split("; ")
        assert sponsors == ["Rigshospitalet (Copenhagen University Hospital)"], sponsors


def test_issue_copenhagen_hypothesis_is_not_efficacy_evidence(claims, rdf_graph):
    claim = claims["a002-copenhagen-hypothesis"]
    assert (claim.subject, claim.predicate, claim.object) == ("nct02806440", "investigates", "fibromyalgia")
    assert not [c.id for c in claims.values() if c.study == "nct02806440" and c.predicate == "studied_for"]
    efficacy = rdf_graph.query(
        "SELECT ?c WHERE { ?c a ldn:Claim ; ldn:study ldnid:nct02806440 ; ldn:predicate ldn:studied_for }",
        initNs={"ldn": VOCAB, "ldnid": ns.ID},
    )
    assert list(efficacy) == []


# --------------------------------------------------------------------------------------------- article 003


def test_e003_1_cree_no_interactions_is_a_passing_remark_not_rct(claims):
    claim = claims["a003-cree2010-no-ms-drug-interactions"]
    assert value(claim.level) == "author_statement"
    assert value(claim.discrepancy) == "unverified"
    assert value(claim.direction) == "contradicts"


# --------------------------------------------------------------------------------------------- article 004


def test_e004_1_younger2013_almost_30pc_is_flagged_overstated(claims):
    claim = claims["a004-younger2013-30pc"]
    assert value(claim.discrepancy) == "overstated"
    assert "18.0%" in claim.primary_says and "28.8%" in claim.primary_says


def test_e004_2_mischoulon_direction_matches_the_null_primary_comparison(claims):
    claim = claims["a004-mischoulon2017-45pc"]
    assert value(claim.direction) in {"mixed", "no_effect"}
    supporting_rct = [
        c.id
        for c in claims.values()
        if c.object == "major-depressive-disorder" and value(c.level) == "rct" and value(c.direction) == "supports"
    ]
    assert supporting_rct == []


@pytest.mark.parametrize("study", ["donahue-2011b", "aboalsoud-2020"], ids=["E004-3", "E004-4"])
def test_e004_3_4_mouse_tumour_studies_are_not_on_the_human_ldn_band(claims, curated, study):
    on_study = [c for c in claims.values() if c.study == study]
    assert on_study
    for claim in on_study:
        for regimen in {claim.subject, claim.regimen} - {None}:
            if regimen in curated.records.nodes and curated.records.kind_of(regimen) == "dose_regimen":
                assert curated.records.node(regimen).species == "mouse", (claim.id, regimen)
    assert curated.records.node(study).regimens == ["ldn-mouse-dose-unverified"]


@pytest.mark.parametrize(
    ("finding", "dropped", "kept", "descriptor"),
    [
        ("E004-5", "a004-berkson2006-told-short-life", "a004-berkson2006-pancreatic", "did not have long to live"),
        ("E004-6", "a004-berkson2007-refused-standard", "a004-berkson2007-lymphoma", "refused standard treatment"),
        ("E004-7", "a004-schwartz2014-life-expectancy", "a004-schwartz2014-6-of-10", "life expectancy 2-6 months"),
    ],
)
def test_e004_5_6_7_descriptors_are_population_not_results(claims, finding, dropped, kept, descriptor):
    assert dropped not in claims, finding
    assert descriptor in claims[kept].population, finding
    quotes = ("didn’t have long to live", "refused standard treatment", "Life expectancies")
    studied = [c.id for c in claims.values() if c.predicate == "studied_for" and any(q in c.quote for q in quotes)]
    assert studied == [], finding


# --------------------------------------------------------------------------------------------- missing statements


def test_m002_2_osteoarthritis_is_a_leading_cause_of_chronic_pain(claims):
    claim = claims["a002-osteoarthritis-common-cause"]
    assert (claim.subject, claim.predicate, claim.source) == ("osteoarthritis", "has_prevalence", A002)
    assert "most common causes of chronic pain" in claim.value


def test_m002_3_osteoarthritis_wear_and_tear(claims):
    claim = claims["a002-osteoarthritis-wear-and-tear"]
    assert (claim.subject, claim.predicate, claim.object) == ("joint-wear-and-tear", "contributes_to", "osteoarthritis")


def test_m002_4_arthritis_pain_persists_despite_treatment(claims):
    claim = claims["a002-arthritis-pain-persists"]
    assert (claim.subject, claim.predicate, claim.object) == (
        "immunosuppressive-drugs",
        "has_caution",
        "arthritis-pain-persists-on-treatment",
    )


def test_m003_1_rebound_may_raise_quality_of_life_mood_and_resilience(claims):
    claim = claims["a003-quality-of-life-hypothesis"]
    assert (claim.subject, claim.object) == ("endorphin-rebound", "quality-of-life")
    assert value(claim.level) == "mechanism_hypothesis"


def test_m003_2_cytokine_data_linked_to_arthritis_and_crohns(claims):
    linked = {
        c.object
        for c in claims.values()
        if c.source == A003 and c.subject == "pro-inflammatory-cytokines" and c.predicate == "contributes_to"
    }
    assert {"arthritis", "crohns-disease"} <= linked


def test_m003_3_cree_did_not_test_disease_modification(claims):
    claim = claims["a003-cree2010-not-disease-modifying"]
    assert (claim.study, claim.predicate, claim.object) == (
        "cree-2010",
        "has_caution",
        "ms-disease-modification-not-tested",
    )
    assert value(claim.level) == "author_statement"


def test_m004_2_ibs_includes_chronic_abdominal_pain(claims):
    claim = claims["a004-ibs-chronic-pain"]
    assert (claim.subject, claim.predicate, claim.object) == ("irritable-bowel-syndrome", "subclass_of", "chronic-pain")


def test_m004_3_cancer_research_is_very_preliminary(claims):
    claim = claims["a004-cancer-research-preliminary"]
    assert (claim.predicate, claim.object, claim.source) == ("has_caution", "limited-clinical-evidence", A004)
    assert "Cancer research" in claim.quote


# ------------------------------------------------------------------------------ audit items closed 2026-12 (2)


def test_e001_1_microglia_distribution_is_not_abundance(claims, curated):
    claim = claims["a001-microglia-distribution"]
    assert claim.predicate == "has_distribution" and "non-overlapping regions" in claim.value
    assert "has_distribution" in curated.metagraph.predicates
    abundance = [c.id for c in claims.values() if c.predicate == "has_abundance"]
    assert "a001-microglia-distribution" not in abundance and "a001-microglia-abundance" in abundance


@pytest.mark.parametrize(
    ("finding", "source", "features"),
    [
        ("M001-1", A001, {"musculoskeletal-pain", "fatigue", "concentration-problems", "sleep-disturbance"}),
        ("M002-6", A002, {"musculoskeletal-pain", "fatigue", "sleep-disturbance", "mood-disturbance"}),
    ],
)
def test_m001_1_m002_6_fibromyalgia_features(claims, rdf_graph, finding, source, features):
    held = {c.object for c in claims.values()
            if c.source == source and (c.subject, c.predicate) == ("fibromyalgia", "has_feature")}
    assert held == features, finding
    for feature in features:
        assert direct(rdf_graph, "fibromyalgia", "has_feature", feature), (finding, feature)


def test_m001_1_the_inflammation_chain_now_reaches_fibromyalgia(claims):
    """Article 001's chain (inflammation -> fatigue, sleep disruption) meets fibromyalgia through its features."""
    caused = {c.object for c in claims.values() if c.source == A001 and c.predicate == "contributes_to"}
    features = {c.object for c in claims.values() if c.subject == "fibromyalgia" and c.predicate == "has_feature"}
    assert {"fatigue", "sleep-disturbance"} <= caused & features


def test_m002_1_funding_statement_per_trial_checked_against_the_registry(claims, curated):
    funding = {c.study: c for c in claims.values() if c.source == A002 and c.predicate == "has_funding"}
    assert set(funding) == {"nct03008590", "nct02965768", "nct02806440"}
    for claim in funding.values():
        assert claim.subject == claim.study and "nonprofit" in claim.value
        assert value(claim.discrepancy) == "unverified" and claim.primary_says
    assert "VA Office of Research and Development" in funding["nct03008590"].primary_says
    funders = {(e.subject, e.object) for e in curated.records.all_edges() if e.predicate == "funded_by"}
    assert {("nct04270877", "gigtforeningen"), ("nct02806440", "ap-moeller-foundation")} <= funders


def test_m002_5_fibromyalgia_shares_features_with_cfs(claims):
    claim = claims["a002-fibromyalgia-cfs-overlap"]
    assert (claim.subject, claim.predicate, claim.object) == ("fibromyalgia", "shares_features_with", "me-cfs")
    assert value(claim.level) == "author_statement"


def test_m004_1_ms_is_difficult_to_treat(claims):
    claim = claims["a004-ms-difficult-to-treat"]
    assert (claim.subject, claim.predicate, claim.source) == ("multiple-sclerosis", "has_treatment_difficulty", A004)
    assert "difficult" in claim.value


def test_new_audit_predicates_are_in_the_vocabulary_block(graph_dir, curated):
    vocab = (graph_dir / "vocab" / "ldngraph.ttl").read_text(encoding="utf-8")
    block = vocab[vocab.index("# Predicates for audit items") :]
    for predicate in ("has_distribution", "has_feature", "shares_features_with", "funded_by", "has_funding",
                      "has_treatment_difficulty"):
        assert f"ldn:{predicate} a owl:" in block, predicate
        assert predicate in curated.metagraph.predicates, predicate


def test_issue_combination_regimens_are_not_folded_into_plain_ldn(curated):
    """The build used to roll ALA/N (and Schwartz's lipoic acid + hydroxycitrate) outcomes up as LDN evidence."""
    regimens = {r.id: r for r in curated.records.of_kind("dose_regimen")}
    assert regimens["ala-ldn-protocol"].combination == ["alpha-lipoic-acid"]
    assert regimens["ldn-5mg"].combination == ["alpha-lipoic-acid", "hydroxycitrate"]
    assert curated.records.node("schwartz-2014").regimens == ["ldn-5mg"]
    combinations = {rid for rid, r in regimens.items() if r.combination}
    folded = [
        e.id for e in curated.records.all_edges()
        if e.predicate == "subclass_of" and e.subject in combinations and not regimens[e.object].combination
    ]
    assert folded == []
    edge_ids = {e.id for e in curated.records.all_edges()}
    assert "e-ala-ldn-protocol-subclass-of-ldn-band-low" not in edge_ids
    assert "e-ldn-5mg-subclass-of-ldn-band-low" not in edge_ids


def test_issue_copenhagen_null_result_is_a_result_not_only_free_text(curated):
    study = curated.records.node("nct02806440")
    assert value(study.finding) == "no_difference" and study.n_enrolled == 58
    results = {r.id: r for r in curated.records.of_kind("result")}
    assert value(results["r-nct02806440-fiqr"].direction) == "no_difference" and results["r-nct02806440-fiqr"].p == 0.3
    assert value(results["r-nct02806440-spir"].direction) == "no_difference" and results["r-nct02806440-spir"].p == 0.4


def test_issue_younger2013_claims_point_at_the_placebo_controlled_result(claims, curated):
    result = {r.id: r for r in curated.records.of_kind("result")}["r-younger-2013-daily-pain"]
    assert (result.arm_value, result.comparator_value, result.p) == (28.8, 18.0, 0.016)
    for cid in ("a003-younger2013-pain", "a004-younger2013-30pc"):
        assert claims[cid].result == "r-younger-2013-daily-pain", cid
    assert claims["a004-mischoulon2017-45pc"].result == "r-mischoulon-2017-hamd17-ldn-within"
