"""The curated graph holds every fact the five source articles state, article by article.

Each case names one fact (a study with its sample size, a dose, a percentage, an institution,
a cost, a side effect, a caution, a discrepancy with the primary record) and checks that the
curated records carry it. Claims are matched by source article and by field values; a key
ending in ``~`` matches a case-insensitive substring, any other key must be equal.
"""

from __future__ import annotations

from typing import Any

import pytest

Case = dict[str, Any]


def study(study_id: str, **attrs: Any) -> Case:
    """A study that must exist with these attribute values."""
    return {"check": "node", "kind": "study", "id": study_id, "attrs": attrs}


def node(kind: str, node_id: str, **attrs: Any) -> Case:
    """A node of ``kind`` that must exist with these attribute values."""
    return {"check": "node", "kind": kind, "id": node_id, "attrs": attrs}


def claim(**match: Any) -> Case:
    """At least one claim of the case's article must match every field given."""
    return {"check": "claim", "match": match}


ARTICLE_000 = {
    "standard-dose-alcohol-dependence": claim(
        subject="naltrexone-standard", predicate="indicated_for", object="alcohol-use-disorder"
    ),
    "one-tenth-dose": claim(subject="ldn-band-low", predicate="has_stated_dose", **{"value~": "one tenth"}),
    "lack-of-credible-evidence": claim(predicate="has_caution", object="limited-clinical-evidence"),
    "glia-amplify-pain": claim(subject="glia", predicate="mediates", object="glial-pain-amplification"),
    "naltrexone-reduces-glial-amplification": claim(
        subject="naltrexone", predicate="decreases", object="glial-pain-amplification"
    ),
    "chopra-two-crps-cases": claim(
        predicate="studied_for", object="crps", study="chopra-2013", level="case_report", n=2
    ),
    "chopra-complete-remission": claim(object="crps", study="chopra-2013", **{"quote~": "complete remission"}),
    "chopra-no-side-effects": claim(study="chopra-2013", **{"effect~": "no side effects"}),
    "chopra-study-record": study("chopra-2013", pmid="23546884", n_enrolled=2, design="case_report"),
    "crps-central-sensitisation": claim(subject="central-sensitisation", predicate="contributes_to", object="crps"),
    "crps-glial-activation": claim(subject="glial-activation", predicate="contributes_to", object="crps"),
    "stanford-trial-unverified": claim(
        subject="stanford-crps-trial", predicate="conducted_by", object="stanford-university", discrepancy="unverified"
    ),
    "stanford-trial-status-unknown": study(
        "stanford-crps-trial", status="unknown", nct=None, **{"note~": "no registration"}
    ),
    "stanford-continuance-disputed": claim(study="stanford-crps-trial", predicate="studied_for", status="disputed"),
    "hss-crps-registration": study(
        "nct06306157", nct="NCT06306157", organisations=["hospital-for-special-surgery"], target_enrolment=40
    ),
    "stanford-continuance-is-author-inference": claim(
        study="stanford-crps-trial", predicate="studied_for", level="author_statement", status="disputed"
    ),
    "chopra-no-side-effects-safety-claim": claim(
        predicate="has_adverse_effect",
        object="adverse-effects-general",
        direction="contradicts",
        study="chopra-2013",
        level="case_report",
        n=2,
    ),
    "unnamed-review-subjective-benefit": claim(
        predicate="studied_for", study="review-quoted-by-000", level="review", direction="mixed"
    ),
    "unnamed-review-objective-limited": claim(
        predicate="has_caution", object="limited-clinical-evidence", study="review-quoted-by-000", level="review"
    ),
    "unnamed-review-record": study("review-quoted-by-000", design="review", status="unknown", pmid=None, doi=None),
    "panacea-is-author-statement": claim(object="autoimmune-disease", level="author_statement", direction="mixed"),
}

ARTICLE_001 = {
    "opioid-addiction-use": claim(subject="naltrexone", predicate="indicated_for", object="opioid-use-disorder"),
    "morphine-activates-mu": claim(subject="morphine", predicate="agonist_of", object="mu-opioid-receptor"),
    "heroin-activates-mu": claim(subject="heroin", predicate="agonist_of", object="mu-opioid-receptor"),
    "naltrexone-blocks-mu": claim(subject="naltrexone", predicate="antagonist_of", object="mu-opioid-receptor"),
    "review-fibromyalgia": claim(predicate="studied_for", object="fibromyalgia", study="younger-2014"),
    "review-crohns": claim(predicate="studied_for", object="crohns-disease", study="younger-2014"),
    "review-ms": claim(predicate="studied_for", object="multiple-sclerosis", study="younger-2014"),
    "review-crps": claim(predicate="studied_for", object="crps", study="younger-2014"),
    "review-record": study(
        "younger-2014", design="review", pmid="24526250", pmcid="PMC3962576", organisations=["stanford-university"]
    ),
    "microglia-abundance-10-15pc": claim(subject="microglia", predicate="has_abundance", **{"value~": "10-15%"}),
    "microglia-are-macrophages": claim(subject="microglia", predicate="subclass_of", object="macrophage"),
    "microglia-are-glia": claim(subject="microglia", predicate="subclass_of", object="glia"),
    "standard-dose-50-100mg": claim(subject="naltrexone-standard", predicate="has_stated_dose", **{"value~": "50-100"}),
    "garbled-4-5-dose-disputed": claim(predicate="has_stated_dose", status="disputed", **{"value~": "4/5 mg"}),
    "two-trials-4.5mg-bedtime": claim(subject="ldn-4.5mg", predicate="has_stated_dose", **{"value~": "bedtime"}),
    "younger-2009-fibromyalgia": claim(object="fibromyalgia", study="younger-2009", level="controlled"),
    "younger-2013-fibromyalgia": claim(object="fibromyalgia", study="younger-2013", level="rct"),
    "tlr4-antagonism": claim(subject="naltrexone", predicate="antagonist_of", object="tlr4"),
    "tlr4-on-microglia": claim(subject="tlr4", predicate="expressed_in", object="microglia"),
    "neuroprotection": claim(subject="naltrexone", predicate="increases", object="neuroprotection"),
    "macrophage-inflammation": claim(subject="macrophage", predicate="contributes_to", object="inflammation"),
    "esr-predicts-response": claim(subject="esr", predicate="predicts_response", study="younger-2009"),
    "crohns-up-to-80pc": claim(object="crohns-disease", **{"effect~": "80%"}),
    "ms-benefit-weak": claim(object="multiple-sclerosis", direction="mixed"),
    "long-term-low-dose-unknown": claim(predicate="has_caution", object="long-term-safety-unknown"),
    "infection-risk-theoretical": claim(predicate="has_adverse_effect", object="infection-risk"),
    "cancer-risk-theoretical": claim(predicate="has_adverse_effect", object="cancer-risk"),
    "not-fda-approved": claim(predicate="has_caution", object="not-fda-approved-for-ldn"),
    "cost-35-a-month": claim(predicate="has_cost", **{"value~": "35 USD"}),
    # audit E001-4: the article's "withdrawal symptoms" are LDN's own, not opioid withdrawal
    "low-withdrawal-risk": claim(
        predicate="has_adverse_effect", object="discontinuation-symptoms", direction="contradicts"
    ),
    "vivid-dreams": claim(predicate="has_adverse_effect", object="vivid-dreams"),
    "headaches": claim(predicate="has_adverse_effect", object="headache"),
    "must-be-prescribed": claim(predicate="has_caution", object="prescription-required"),
    "low-side-effect-risk": claim(
        predicate="has_adverse_effect",
        object="adverse-effects-general",
        direction="contradicts",
        level="author_statement",
    ),
    "review-well-tolerated": claim(
        predicate="has_adverse_effect",
        object="adverse-effects-general",
        direction="contradicts",
        study="younger-2014",
        level="review",
    ),
    "review-daily-oral": claim(predicate="has_stated_dose", study="younger-2014", **{"value~": "daily, by mouth"}),
    "peripheral-anti-inflammatory": claim(subject="naltrexone", predicate="decreases", object="inflammation"),
    "review-crohns-quote-names-crohns": claim(
        study="younger-2014", object="crohns-disease", level="review", **{"quote~": "Crohn’s disease"}
    ),
    "review-ms-quote-names-ms": claim(
        study="younger-2014", object="multiple-sclerosis", level="review", **{"quote~": "multiple sclerosis"}
    ),
    "nsaids-statement-without-evidence": claim(
        subject="nsaids", object="fibromyalgia", level="author_statement", direction="no_effect"
    ),
}

ARTICLE_002 = {
    "va-boston-trial": claim(subject="nct03008590", predicate="conducted_by", object="va-boston"),
    "va-trial-osteoarthritis": claim(subject="nct03008590", predicate="investigates", object="osteoarthritis"),
    "va-trial-record": study(
        "nct03008590",
        nct="NCT03008590",
        status="completed",
        organisations=["va-boston", "va-office-of-research-and-development"],
    ),
    "chronic-pain-100-million": claim(subject="chronic-pain", predicate="has_prevalence", **{"value~": "100 million"}),
    "inflammatory-arthritis-2-3pc": claim(
        subject="inflammatory-arthritis", predicate="has_prevalence", **{"value~": "2-3%"}
    ),
    "alabama-trial": claim(subject="nct02965768", predicate="conducted_by", object="university-of-alabama-birmingham"),
    "alabama-trial-withdrawn": study("nct02965768", nct="NCT02965768", status="withdrawn", n_enrolled=0),
    "alabama-launch-overstated": claim(subject="nct02965768", discrepancy="overstated"),
    "copenhagen-trial": claim(subject="nct02806440", predicate="conducted_by", object="university-of-copenhagen"),
    "copenhagen-trial-record": study(
        "nct02806440",
        nct="NCT02806440",
        pmid=None,
        organisations=["rigshospitalet"],
        **{"result~": "no clinically relevant effect", "note~": "inferred"},
    ),
    "copenhagen-university-misattributed": claim(
        subject="nct02806440",
        predicate="conducted_by",
        object="university-of-copenhagen",
        discrepancy="misattributed",
        **{"primary_says~": "Rigshospitalet"},
    ),
    # issue (audit section 2, #13): the trial's hypothesis is what it investigates, not efficacy evidence
    "copenhagen-hypothesis-3-5mg": claim(
        study="nct02806440",
        predicate="investigates",
        object="fibromyalgia",
        regimen="ldn-band-low",
        **{"quote~": "hypothesize"},
    ),
    "va-says-ldn-is-safe": claim(
        subject="ldn-band-low",
        predicate="has_adverse_effect",
        object="adverse-effects-general",
        direction="contradicts",
        **{"quote~": "because it is safe"},
    ),
    "promising-fibromyalgia-is-author-statement": claim(
        predicate="studied_for", object="fibromyalgia", study=None, level="author_statement"
    ),
    "fibromyalgia-prevalence-2-8pc": claim(subject="fibromyalgia", predicate="has_prevalence", **{"value~": "2-8%"}),
    "ldn-3-5mg": claim(predicate="has_stated_dose", **{"value~": "3-5 mg"}),
    "opioid-hyperalgesia": claim(
        subject="opioid-analgesics", predicate="has_adverse_effect", object="opioid-induced-hyperalgesia"
    ),
    "standard-50mg-antagonist": claim(
        subject="naltrexone-standard", predicate="antagonist_of", object="opioid-receptors"
    ),
    "endogenous-pain-inhibition": claim(
        predicate="increases", object="endogenous-pain-inhibition", study="nct02806440"
    ),
    "final-trial-record": study(
        "nct04270877",
        n_enrolled=99,
        organisations=[
            "bispebjerg-frederiksberg-hospital", "odense-university-hospital", "university-of-southern-denmark"
        ],
    ),
}

ARTICLE_003 = {
    "overdose-claim-disputed": claim(
        subject="naltrexone", predicate="indicated_for", object="opioid-overdose", status="disputed"
    ),
    "naloxone-reverses-overdose-edge": {
        "check": "edge",
        "subject": "naloxone",
        "predicate": "indicated_for",
        "object": "opioid-overdose",
    },
    "endorphins-bind-receptors": claim(subject="endorphins", predicate="agonist_of", object="opioid-receptors"),
    "vicodin-blocked": claim(
        subject="naltrexone-standard", predicate="interacts_with", object="hydrocodone-acetaminophen"
    ),
    "percocet-blocked": claim(
        subject="naltrexone-standard", predicate="interacts_with", object="oxycodone-acetaminophen"
    ),
    "endorphin-rebound": claim(subject="ldn-band-low", predicate="increases", object="endorphin-rebound"),
    "naloxone-cytokines-macrophages": claim(
        subject="naloxone", predicate="decreases", object="pro-inflammatory-cytokines"
    ),
    "neuroprotection-in-mice": claim(
        subject="naltrexone", predicate="increases", object="neuroprotection", level="animal"
    ),
    "younger-2009-6-of-10-unverified": claim(
        study="younger-2009", n=10, discrepancy="unverified", **{"effect~": "6 of 10"}
    ),
    "younger-2009-record": study("younger-2009", n_enrolled=10, design="controlled_non_randomised", pmid="19453963"),
    "younger-2013-30-vs-31": claim(
        study="younger-2013", n=30, discrepancy="misreported_number", **{"primary_says~": "31"}
    ),
    "younger-2013-record": study("younger-2013", n_enrolled=31, nct="NCT00568555", pmid="23359310"),
    "50mg-study-no-effect": claim(study="younger-2009-50mg", direction="no_effect", regimen="naltrexone-50mg-single"),
    "50mg-study-record": study(
        "younger-2009-50mg", doi="10.1371/journal.pone.0005180", pmid="19365548", regimens=["naltrexone-50mg-single"]
    ),
    "cree-60-completers": claim(study="cree-2010", n=60, discrepancy="misreported_number", **{"primary_says~": "80"}),
    "cree-record": study("cree-2010", n_enrolled=80, n_analysed=60, organisations=["ucsf"]),
    "cree-no-ms-drug-interactions": claim(
        study="cree-2010", predicate="interacts_with", object="ms-disease-modifying-drugs"
    ),
    "smith-2011-18-vs-16-unverified": claim(
        study="smith-2011", discrepancy="unverified", **{"quote~": "18 naltrexone patients"}
    ),
    "smith-2011-record": study(
        "smith-2011", n_enrolled=40, pmid="21380937", nct=None, organisations=[], **{"note~": "NCT00663117"}
    ),
    "cree-60-are-completers": claim(study="cree-2010", n=60, **{"primary_says~": "60 completed"}),
    "tolerated-well": claim(
        predicate="has_adverse_effect",
        object="adverse-effects-general",
        direction="contradicts",
        **{"quote~": "tolerated well"},
    ),
    "acetaminophen-not-blocked": claim(
        subject="naltrexone-standard", predicate="interacts_with", object="acetaminophen", direction="contradicts"
    ),
    "copaxone-for-ms": claim(subject="glatiramer-acetate", predicate="indicated_for", object="multiple-sclerosis"),
    "no-liver-effect-quote-carries-fact": claim(
        object="liver-toxicity", direction="contradicts", **{"quote~": "doesn’t seem to have that effect"}
    ),
    "thirty-capsules-4.5mg": claim(subject="ldn-4.5mg", predicate="has_stated_dose", **{"value~": "30 capsules"}),
    "children-trial": claim(study="smith-2013", regimen="ldn-0.1mg-kg-paediatric"),
    "lupus-hypothesis": claim(predicate="studied_for", object="lupus", level="mechanism_hypothesis"),
    "nausea": claim(predicate="has_adverse_effect", object="nausea"),
    "abnormal-dreams": claim(predicate="has_adverse_effect", object="abnormal-dreams"),
    "liver-problems-50-100mg": claim(
        subject="naltrexone-standard", predicate="has_adverse_effect", object="liver-toxicity"
    ),
    "no-liver-effect-4.5mg": claim(
        subject="ldn-4.5mg", predicate="has_adverse_effect", object="liver-toxicity", direction="contradicts"
    ),
    "compounding": claim(predicate="has_caution", object="compounding-required"),
    "immediate-release-only": claim(predicate="has_caution", object="immediate-release-only"),
    "wean-off-narcotics": claim(predicate="has_caution", object="blocks-opioid-analgesics"),
    "blocks-pain-medicines": claim(subject="ldn-band-low", predicate="interacts_with", object="opioid-analgesics"),
    "hiv-anecdote": claim(subject="naltrexone", predicate="studied_for", object="hiv-infection", level="anecdote"),
}

ARTICLE_004 = {
    "regular-dose-50-100mg": claim(subject="naltrexone-standard", predicate="has_stated_dose", **{"value~": "50-100"}),
    "enkephalins": claim(subject="enkephalins", predicate="agonist_of", object="opioid-receptors"),
    "oxycodone-agonist": claim(subject="oxycodone", predicate="agonist_of", object="opioid-receptors"),
    "opium-agonist": claim(subject="opium", predicate="agonist_of", object="opioid-receptors"),
    "zagon-neuroblastoma-wrong-condition": claim(
        study="zagon-1983",
        predicate="studied_for",
        object="neuroblastoma",
        discrepancy="wrong_condition",
        level="animal",
        **{"effect~": "brain cancer", "primary_says~": "S20Y neuroblastoma"},
    ),
    "no-brain-cancer-node": {"check": "absent", "id": "brain-cancer"},
    "zagon-record": study("zagon-1983", pmid="6867737", species="mouse", conditions=["neuroblastoma"]),
    "mouse-regimens": node(
        "dose_regimen", "naltrexone-10mg-kg-mouse", species="mouse", dose_typical=10.0, dose_unit="mg/kg"
    ),
    "toljan-opiate-responses": claim(study="toljan-2018", predicate="increases", object="endogenous-opioid-signalling"),
    "younger-2014-tlr4": claim(study="younger-2014", predicate="antagonist_of", object="tlr4"),
    "off-patent": claim(predicate="has_caution", object="off-patent-limited-research"),
    "cree2010-mental-health": claim(
        study="cree-2010",
        object="multiple-sclerosis",
        level="rct",
        direction="supports",
        **{"effect~": "mental health"},
    ),
    "sharafaddinzadeh-mixed": claim(study="sharafaddinzadeh-2010", direction="mixed"),
    "sharafaddinzadeh-record": study("sharafaddinzadeh-2010", n_enrolled=96, pmid=None, doi=None),
    "raknes-13pc": claim(
        study="raknes-2019", discrepancy="misreported_number", **{"effect~": "13%", "primary_says~": "23%"}
    ),
    "raknes-record": study("raknes-2019", n_enrolled=360, design="register_based_controlled"),
    "weinstock-8-of-15": claim(study="weinstock-2020", n=15, **{"effect~": "8 of 15"}),
    "weinstock-record": study("weinstock-2020", n_enrolled=15, pmid="32196470", doi=None),
    "smith-2013-remission": claim(study="smith-2013", **{"effect~": "25% remission"}),
    "smith-2013-record": study("smith-2013", n_enrolled=14, regimens=["ldn-0.1mg-kg-paediatric"]),
    "smith-2013-design-not-guessed": study("smith-2013", design="unknown", nct=None, **{"note~": "NCT00715117"}),
    "smith-2013-well-tolerated": claim(
        study="smith-2013", predicate="has_adverse_effect", object="adverse-effects-general", direction="contradicts"
    ),
    "khan-design-unknown": study("khan-2014", design="unknown", status="unknown", pmid=None),
    "berkson-2018-design-unknown": study("berkson-2018", design="unknown"),
    # audit E004-3: a mouse study whose dose is not verified, not the human 1-5 mg/day band
    "donahue-confirmed-is-ldn": claim(
        study="donahue-2011b", subject="ldn-mouse-dose-unverified", predicate="studied_for", object="ovarian-cancer"
    ),
    "donahue-chemo-is-ldn": claim(
        study="donahue-2011b", subject="ldn-mouse-dose-unverified", predicate="combined_with"
    ),
    "cancer-summary-is-author-statement": claim(object="cancer", study=None, level="author_statement"),
    "fibromyalgia-chronic-pain": claim(subject="fibromyalgia", predicate="subclass_of", object="chronic-pain"),
    "aboalsoud-arms-as-verified": study("aboalsoud-2020", arms="LDN alone and LDN with 5-FU"),
    "younger-2013-no-guessed-institution": study("younger-2013", organisations=[]),
    "cree-duration": study("cree-2010", duration="8 weeks"),
    "lie-2018-ibd": claim(study="lie-2018", object="inflammatory-bowel-disease"),
    "lie-2018-record": study("lie-2018", n_enrolled=47, pmcid="PMC5845217"),
    "bruun-plesner-11-of-25": claim(study="bruun-plesner-2020", n=25, discrepancy="unverified"),
    "bruun-plesner-record": study("bruun-plesner-2020", n_enrolled=27, n_analysed=25, design="dose_finding"),
    "younger-2013-almost-30pc": claim(study="younger-2013", **{"effect~": "almost 30%"}),
    "younger-2009-over-30pc": claim(study="younger-2009", **{"effect~": "more than 30%"}),
    "kariv-76pc-dose": claim(
        study="kariv-2006", discrepancy="misreported_dose", regimen="ldn-0.5mg-pti901", **{"effect~": "76%"}
    ),
    "kariv-pain-free-days": claim(study="kariv-2006", **{"effect~": "1.25"}),
    "kariv-dose-0.5mg": node("dose_regimen", "ldn-0.5mg-pti901", dose_typical=0.5, band="very_low"),
    "trofimovitch-crps": claim(study="trofimovitch-2019", object="crps", discrepancy="unverified"),
    "trofimovitch-back-pain": claim(study="trofimovitch-2019", object="chronic-back-pain"),
    "trofimovitch-diabetic-neuropathy": claim(study="trofimovitch-2019", object="diabetic-neuropathy"),
    "mischoulon-45pc-overstated": claim(
        study="mischoulon-2017", discrepancy="overstated", regimen="ldn-1mg-bid", **{"effect~": "45%"}
    ),
    "mischoulon-record": study(
        "mischoulon-2017",
        n_enrolled=12,
        design="randomised_controlled_trial",
        nct=None,
        organisations=[],
        **{"note~": "NCT01874951"},
    ),
    "donahue-ovarian": claim(study="donahue-2011a", object="ovarian-cancer", level="animal"),
    "donahue-chemo-additive": claim(
        study="donahue-2011b", predicate="combined_with", object="chemotherapy", discrepancy="overstated"
    ),
    "aboalsoud-ehrlich": claim(study="aboalsoud-2020", object="ehrlich-carcinoma", level="animal"),
    "aboalsoud-record": study("aboalsoud-2020", n_enrolled=60, organisations=["tanta-university"], pmid=None),
    "aboalsoud-tests-5fu": {
        "check": "edge",
        "subject": "aboalsoud-2020",
        "predicate": "tests",
        "object": "5-fluorouracil",
    },
    "berkson-2006-pancreatic": claim(study="berkson-2006", object="pancreatic-cancer", regimen="ala-ldn-protocol"),
    "berkson-2007-lymphoma": claim(study="berkson-2007", object="lymphoma"),
    "berkson-2007-record-follicular": study("berkson-2007", conditions=["b-cell-lymphoma", "follicular-lymphoma"]),
    "berkson-2009-three-cases": claim(study="berkson-2009", n=3),
    "schwartz-omits-hydroxycitrate": claim(
        study="schwartz-2014", discrepancy="omits_regimen", **{"primary_says~": "hydroxycitrate"}
    ),
    "schwartz-hydroxycitrate-edge": {
        "check": "edge",
        "subject": "ldn-5mg",
        "predicate": "combined_with",
        "object": "hydroxycitrate",
    },
    "khan-tongue-cancer": claim(study="khan-2014", object="tongue-cancer", discrepancy="unverified"),
    "berkson-2018-renal": claim(study="berkson-2018", object="renal-cell-carcinoma", discrepancy="unverified"),
    "berkson-2018-record": study("berkson-2018", status="unknown", doi=None, **{"note~": "renal cell carcinoma"}),
    "miskoff-lung-cancer": claim(study="miskoff-2018", object="lung-cancer", level="case_report"),
    "miskoff-record": study(
        "miskoff-2018", doi="10.7759/cureus.2924", organisations=["jersey-shore-university-medical-center"]
    ),
}

ARTICLES = {
    "000_ddc293f464a7d11d": ARTICLE_000,
    "001_82ef6a1e079c3104": ARTICLE_001,
    "002_9dadc77efbfb02d8": ARTICLE_002,
    "003_31158820d64b0034": ARTICLE_003,
    "004_764fb58dbcdbb06f": ARTICLE_004,
}

CASES = [
    pytest.param(source, case, id=f"{source[:3]}-{name}")
    for source, cases in ARTICLES.items()
    for name, case in cases.items()
]


def _plain(value: Any) -> Any:
    """Enum members compare by their value; everything else as is."""
    return getattr(value, "value", value)


def _matches(record: Any, wanted: dict[str, Any]) -> bool:
    for key, expected in wanted.items():
        if key.endswith("~"):
            actual = getattr(record, key[:-1])
            if actual is None or str(expected).casefold() not in str(_plain(actual)).casefold():
                return False
        elif _plain(getattr(record, key)) != expected:
            return False
    return True


@pytest.mark.parametrize(("source", "case"), CASES)
def test_article_fact_is_curated(curated, source: str, case: Case) -> None:
    records = curated.records
    if case["check"] == "absent":
        assert case["id"] not in records.nodes, f"{case['id']} should not be a node"
    elif case["check"] == "node":
        assert case["id"] in records.nodes, f"{case['id']} is missing"
        record = records.node(case["id"])
        assert record.kind == case["kind"], f"{case['id']} is a {record.kind}, expected {case['kind']}"
        for key, expected in case["attrs"].items():
            if key.endswith("~"):
                actual = getattr(record, key[:-1])
                assert actual and str(expected).casefold() in str(actual).casefold(), (
                    f"{case['id']}.{key[:-1]} = {actual!r}"
                )
            else:
                actual = _plain(getattr(record, key))
                if isinstance(expected, list):
                    actual = sorted(actual)
                    expected = sorted(expected)
                assert actual == expected, f"{case['id']}.{key} = {actual!r}, expected {expected!r}"
    elif case["check"] == "edge":
        found = [
            edge
            for edge in records.all_edges()
            if (edge.subject, edge.predicate, edge.object) == (case["subject"], case["predicate"], case["object"])
        ]
        assert found, f"no edge {case['subject']} -{case['predicate']}-> {case['object']}"
    else:
        claims = [c for c in records.all_claims() if c.source == source]
        assert claims, f"no claims from {source}"
        hits = [c for c in claims if _matches(c, case["match"])]
        assert hits, f"no claim from {source} matches {case['match']}"


@pytest.mark.parametrize("source", list(ARTICLES))
def test_every_article_has_many_claims_with_curator_and_date(curated, source: str) -> None:
    claims = [c for c in curated.records.all_claims() if c.source == source]
    assert len(claims) >= 20, f"{source}: only {len(claims)} claims"
    assert all(c.id.startswith(f"a{source[:3]}-") for c in claims)
    # 2026-12-02: claims added or corrected for the audit of that date (audit-2026-12.md, E and M findings)
    assert all(c.curator == "ldngraph-curation" and c.date_curated in {"2026-11-23", "2026-12-02"} for c in claims)


def test_disputed_claims_make_no_direct_assertion_and_explain_why(curated) -> None:
    disputed = [c for c in curated.records.all_claims() if c.status.value == "disputed"]
    assert {c.id for c in disputed} >= {"a003-naltrexone-overdose", "a001-ldn-dose-garbled"}
    assert all(c.note for c in disputed)


def test_graph_is_large_enough(curated) -> None:
    assert len(curated.records.nodes) >= 150
    assert len(curated.records.claims) >= 150
