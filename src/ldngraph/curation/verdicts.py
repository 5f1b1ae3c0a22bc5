"""A verdict per condition (and outcome domain): what the independent studies show, and how sure one can be.

Rules in the spirit of GRADE, written down in docs/verdicts.md and decision 0014:

* **The body of evidence** is the independent human studies of the condition that have a result
  (``finding`` from their own record), counted once each, for LDN alone or as add-on. Reviews are
  evidence about studies and never join it; other dose bands and combination protocols are shown
  apart; a study known only from a secondary source ([V2]) is a lead, never counted.
* **Best design first**: if randomised trials exist, the verdict rests on them and the rest is context.
* **Statement**: benefit shown / no benefit shown / mixed / conflicting / insufficient.
  Uncontrolled studies and case reports alone are *insufficient*: they cannot tell a drug effect
  from placebo response or natural course.
* **Certainty** starts high for randomised trials, low for controlled non-randomised studies and
  very low for uncontrolled ones; it is lowered for risk of bias (not double-blind, no placebo),
  imprecision (under 400 participants: one step; under 100: two) and inconsistency (trials disagree).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ldngraph.core.evidence_schema import Arm, Comparison, Outcome, PrimaryRecord, Result
from ldngraph.core.schema import REVIEW_DESIGNS, Claim, DoseRegimen, Study
from ldngraph.curation.records import Records
from ldngraph.curation.regimens import LDN, regimen_category, study_category

CERTAINTY_ORDER: tuple[str, ...] = ("very_low", "low", "moderate", "high")
STATEMENT_LABELS: dict[str, str] = {
    "benefit_shown": "benefit shown",
    "no_benefit_shown": "no benefit shown",
    "mixed": "mixed: benefit on some outcomes, not on others",
    "conflicting": "conflicting: the trials disagree",
    "insufficient": "insufficient evidence",
}
TIER_OF_DESIGN: dict[str, str] = {
    "randomised_controlled_trial": "randomised",
    "randomised_crossover_trial": "randomised",
    "controlled_non_randomised": "controlled",
    "register_based_controlled": "controlled",
    "open_label_pilot": "uncontrolled",
    "prospective_cohort": "uncontrolled",
    "dose_finding": "uncontrolled",
    "case_series": "uncontrolled",
    "case_report": "case_report",
}
TIER_ORDER: tuple[str, ...] = ("randomised", "controlled", "uncontrolled", "case_report")
TIER_START: dict[str, int] = {"randomised": 3, "controlled": 1, "uncontrolled": 0, "case_report": 0}
RUNNING = frozenset({"not_yet_recruiting", "recruiting", "active_not_recruiting"})
#: The efficacy predicate (metagraph layer "efficacy"); `indicated_for` is the standard-dose label, not LDN.
EFFICACY_PREDICATES = frozenset({"studied_for"})


@dataclass(frozen=True)
class BodyStudy:
    """One independent study as the verdict sees it."""

    id: str
    label: str
    tier: str
    n: int | None
    category: str
    finding: str | None
    blinding: str | None
    control: str | None
    published: str | None
    therapy: str


@dataclass(frozen=True)
class Verdict:
    """What the evidence shows for one condition and domain ('overall' = each study's main outcome)."""

    condition: str
    domain: str
    statement: str
    certainty: str
    reasons: tuple[str, ...]
    counted: tuple[str, ...]
    participants: int
    context: tuple[str, ...] = ()
    shown_apart: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    running: tuple[str, ...] = ()
    review_checks: tuple[str, ...] = ()
    articles_claimed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The statement in words."""
        return STATEMENT_LABELS[self.statement]


def _study_label(study: Study) -> str:
    if study.first_author and study.year:
        return f"{study.first_author} {study.year}"
    return study.name


def _naltrexone_arms(records: Records, study_id: str) -> list[Arm]:
    arms = [a for a in records.of_kind("arm") if isinstance(a, Arm) and a.study == study_id]
    return [a for a in arms if a.role.value == "experimental" and a.regimen]


def _category(records: Records, study: Study) -> tuple[str, str]:
    arms = _naltrexone_arms(records, study.id)
    regimen_ids = [a.regimen for a in arms if a.regimen] or study.regimens
    categories = []
    for regimen_id in regimen_ids:
        regimen = records.node(regimen_id)
        if isinstance(regimen, DoseRegimen):
            categories.append(regimen_category(regimen))
    therapies = [a.therapy.value for a in arms]
    therapy = therapies[0] if therapies else "unknown"
    return study_category(categories, therapies), therapy


def _body_study(records: Records, study: Study) -> BodyStudy:
    category, therapy = _category(records, study)
    return BodyStudy(
        id=study.id,
        label=_study_label(study),
        tier=TIER_OF_DESIGN.get(study.design.value, "unknown"),
        n=study.n_enrolled if study.n_enrolled is not None else study.n_analysed,
        category=category,
        finding=study.finding.value if study.finding else None,
        blinding=study.blinding.value if study.blinding else None,
        control=study.control.value if study.control else None,
        published=study.published or (str(study.year) if study.year else None),
        therapy=therapy,
    )


def statement_of(findings: list[str], tier: str | None) -> str:
    """The statement a set of study findings supports, at the body's design tier."""
    kinds = set(findings) - {"uncertain"}
    if not findings or tier in (None, "uncontrolled", "case_report") or not kinds:
        return "insufficient"
    if "benefit" in kinds and ("no_difference" in kinds or "harm" in kinds):
        return "conflicting"
    if kinds == {"benefit"}:
        return "benefit_shown"
    if kinds <= {"no_difference", "harm"}:
        return "no_benefit_shown"
    return "mixed"


def _bias(study: BodyStudy) -> str:
    """Why a study's design risks bias, or '' when it is double-blind and controlled."""
    problems = []
    if study.blinding is None:
        problems.append("blinding not recorded")
    elif study.blinding != "double_blind":
        problems.append(study.blinding.replace("_", " "))
    if study.control not in ("placebo", "active"):
        problems.append("no placebo or active control" if study.control else "control not recorded")
    return ", ".join(problems)


def certainty_of(body: list[BodyStudy], statement: str) -> tuple[str, list[str]]:
    """The certainty of a body of evidence and every reason it was lowered."""
    if not body:
        return "very_low", ["no study of LDN with a result"]
    tier = body[0].tier
    level = TIER_START.get(tier, 0)
    reasons = [f"starts {CERTAINTY_ORDER[level].replace('_', ' ')}: {tier.replace('_', ' ')} evidence"]
    weak = [f"{s.label}: {why}" for s in body if tier in ("randomised", "controlled") and (why := _bias(s))]
    if weak:
        level -= 1
        reasons.append(f"risk of bias ({'; '.join(weak)})")
    participants = sum(s.n or 0 for s in body)
    if participants < 100:
        level -= 2
        reasons.append(f"very serious imprecision: {participants} participants in all")
    elif participants < 400:
        level -= 1
        reasons.append(f"imprecision: {participants} participants (fewer than about 400)")
    if statement == "conflicting":
        level -= 1
        reasons.append("inconsistency: the studies' results disagree")
    if len(body) == 1:
        reasons.append("a single study: not replicated")
    add_on = [s.label for s in body if s.therapy == "add_on"]
    if add_on:
        reasons.append(f"LDN added to background therapy in {', '.join(add_on)}")
    return CERTAINTY_ORDER[max(level, 0)], reasons


def _review_checks(reviews: list[Study], statement: str, later: list[BodyStudy]) -> list[str]:
    agrees = {"benefit": {"benefit_shown"}, "no_difference": {"no_benefit_shown"},
              "uncertain": {"insufficient", "mixed", "conflicting"}, "mixed": {"mixed", "conflicting"}}
    checks = []
    for review in reviews:
        finding = review.finding.value if review.finding else "no finding recorded"
        head = f"{_study_label(review)} ({review.design.value.replace('_', ' ')}, searched to " \
               f"{review.search_date or 'an unknown date'}) found {finding.replace('_', ' ')}"
        if statement in agrees.get(finding, set()):
            checks.append(f"{head}: agrees")
            continue
        after = [s.label for s in later if review.search_date and s.published and s.published > review.search_date]
        if after:
            checks.append(f"{head}: differs; published after its search: {', '.join(after)}")
        else:
            checks.append(f"{head}: differs; no study in the graph published after its search explains it")
    return checks


def _articles_claimed(records: Records, condition: str) -> list[str]:
    by_source: dict[str, list[Claim]] = {}
    for claim in records.all_claims():
        if claim.object == condition and claim.predicate in EFFICACY_PREDICATES:
            by_source.setdefault(claim.source, []).append(claim)
    lines = []
    for source, claims in sorted(by_source.items()):
        supports = [c for c in claims if c.direction.value == "supports"]
        studies = {c.study for c in supports if c.study}
        lines.append(f"article {source.split('_')[0]}: {len(supports)} of {len(claims)} statements support it, "
                     f"citing {len(studies)} stud{'y' if len(studies) == 1 else 'ies'}")
    return lines


def _leads(records: Records, studies: list[Study]) -> list[str]:
    v2 = {r.id for r in records.of_kind("primary_record") if isinstance(r, PrimaryRecord)
          and r.verification.value == "V2"}
    outcome_study = {o.id: o.study for o in records.of_kind("outcome") if isinstance(o, Outcome)}
    lead_studies = {outcome_study.get(r.outcome) for r in records.of_kind("result")
                    if isinstance(r, Result) and r.record in v2}
    return [s.id for s in studies if s.id in lead_studies and s.finding is None]


def verdict_for(records: Records, condition: str) -> Verdict:
    """The overall verdict for one condition, from the curated records."""
    return _overall(records, condition)[0]


def _overall(records: Records, condition: str) -> tuple[Verdict, list[BodyStudy], str | None]:
    """The overall verdict, with the body of evidence it counts and that body's design tier."""
    studies = [s for s in records.of_kind("study") if isinstance(s, Study) and condition in s.conditions
               and s.species == "human"]
    primary = [s for s in studies if s.design not in REVIEW_DESIGNS]
    with_data = [_body_study(records, s) for s in primary if s.finding and s.finding.value != "no_data"]
    ldn = [s for s in with_data if s.category == LDN and s.tier in TIER_ORDER]
    tier = next((t for t in TIER_ORDER if any(s.tier == t for s in ldn)), None)
    body = sorted((s for s in ldn if s.tier == tier), key=lambda s: s.id)
    statement = statement_of([s.finding or "" for s in body], tier)
    certainty, reasons = certainty_of(body, statement)
    if tier in ("uncontrolled", "case_report"):
        reasons.append("only uncontrolled studies or case reports: they cannot separate a drug effect from "
                       "placebo response or natural course")
    reviews = [s for s in studies if s.design.value in ("systematic_review", "meta_analysis")]
    verdict = Verdict(
        condition=condition,
        domain="overall",
        statement=statement,
        certainty=certainty,
        reasons=tuple(reasons),
        counted=tuple(s.id for s in body),
        participants=sum(s.n or 0 for s in body),
        context=tuple(s.id for s in ldn if s.tier != tier),
        shown_apart=tuple(s.id for s in with_data if s.category != LDN),
        leads=tuple(_leads(records, primary)),
        running=tuple(s.id for s in primary if s.status.value in RUNNING),
        review_checks=tuple(_review_checks(reviews, statement, with_data)),
        articles_claimed=tuple(_articles_claimed(records, condition)),
    )
    return verdict, body, tier


#: Outcome roles a domain verdict reads; exploratory outcomes (often many, unpowered) never count.
DOMAIN_ROLES = frozenset({"primary", "co_primary", "secondary"})


def _domain_finding(directions: list[str]) -> str:
    kinds = set(directions)
    if kinds == {"benefit"}:
        return "benefit"
    if kinds <= {"no_difference"}:
        return "no_difference"
    if kinds == {"harm"}:
        return "harm"
    return "mixed"


def _directions_by_domain(records: Records, study_ids: set[str]) -> dict[str, dict[str, list[str]]]:
    """Domain -> study -> directions of its verified between-group results in that domain.

    A direction is prefixed with '*' when it comes from a primary or co-primary outcome.
    """
    v2 = {r.id for r in records.of_kind("primary_record") if isinstance(r, PrimaryRecord)
          and r.verification.value == "V2"}
    outcomes = {o.id: o for o in records.of_kind("outcome") if isinstance(o, Outcome)
                and o.study in study_ids and o.role.value in DOMAIN_ROLES}
    found: dict[str, dict[str, list[str]]] = {}
    for result in records.of_kind("result"):
        if not isinstance(result, Result) or result.outcome not in outcomes or result.record in v2:
            continue
        if result.comparison is not Comparison.between_groups:
            continue
        outcome = outcomes[result.outcome]
        mark = "*" if outcome.role.value in ("primary", "co_primary") else ""
        found.setdefault(outcome.domain.value, {}).setdefault(outcome.study, []).append(mark + result.direction.value)
    return found


def domain_verdicts(records: Records, condition: str, body: list[BodyStudy], tier: str | None) -> list[Verdict]:
    """One verdict per outcome domain, from the verified between-group results of the body's studies."""
    verdicts = []
    for domain, by_study in sorted(_directions_by_domain(records, {s.id for s in body}).items()):
        subset = [replace(s, finding=_domain_finding([d.lstrip("*") for d in by_study[s.id]]))
                  for s in body if s.id in by_study]
        statement = statement_of([s.finding or "" for s in subset], tier)
        certainty, reasons = certainty_of(subset, statement)
        if not any(d.startswith("*") for directions in by_study.values() for d in directions):
            reasons.append("secondary outcomes only: not what the trials were powered for, and one of many "
                           "outcomes tested (multiplicity)")
            certainty = CERTAINTY_ORDER[max(CERTAINTY_ORDER.index(certainty) - 1, 0)]
        verdicts.append(Verdict(condition=condition, domain=domain, statement=statement, certainty=certainty,
                                reasons=tuple(reasons), counted=tuple(s.id for s in subset),
                                participants=sum(s.n or 0 for s in subset)))
    return verdicts


def conditions_with_evidence(records: Records) -> list[str]:
    """Conditions that some human study investigates or some article claims an effect on, sorted."""
    found = {c for s in records.of_kind("study") if isinstance(s, Study) and s.species == "human"
             for c in s.conditions}
    found |= {c.object for c in records.all_claims() if c.object and c.predicate in EFFICACY_PREDICATES
              and records.kind_of(c.object) == "condition"}
    return sorted(found)


def all_verdicts(records: Records) -> list[Verdict]:
    """Every condition's overall verdict, then its verdicts per outcome domain, sorted by condition id."""
    verdicts = []
    for condition in conditions_with_evidence(records):
        overall, body, tier = _overall(records, condition)
        verdicts.append(overall)
        verdicts.extend(domain_verdicts(records, condition, body, tier))
    return verdicts
