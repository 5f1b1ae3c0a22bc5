"""The evidence model in the viewer (decision 0013): the condition panel reads the verdict whole, a study's
card shows its arms, outcomes with their results and primary records (URLs as links, date seen, V2 leads),
and none of it floods the drawing. Hostile text and URLs in these records stay inert.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_viz_browser import ROOT, Page, browser  # noqa: F401  (the fixture is used by name)

from ldngraph.viewer.model import build_view
from ldngraph.viewer.page import view_payload, write_html
from ldngraph.viewer.terms import DETAIL_KINDS, web_url

FINAL = "nct04270877"  # FINAL: naltrexone 6 mg vs placebo in fibromyalgia, null primary outcome
FINAL_NUMBERS = ("-1.3 vs -0.9", "mean difference -0.34 (95% CI -0.95 to 0.27)", "p=0.27")
INNOVA = "nct04739995"  # its results seen only in secondary sources: an unverified lead (V2)


@pytest.fixture(scope="module")
def view():
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.build import load_graph

    return build_view(load_graph(ROOT / "graph"), load_metagraph(ROOT / "graph").layers, title="ldngraph")


@pytest.fixture(scope="module")
def payload(view):
    return view_payload(view)


# --- the model (no browser) ---------------------------------------------------------------------------


def test_the_verdict_is_read_whole(payload):
    verdict = payload["cards"]["fibromyalgia"]["verdict"]
    assert verdict["statement"].startswith("conflicting") and verdict["certainty"] == "low"
    assert any("imprecision" in r for r in verdict["reasons"]) and len(verdict["reasons"]) >= 2
    assert any("Vatvani 2024" in r for r in verdict["review_checks"])
    assert any(a.startswith("article 001:") for a in verdict["articles_claimed"])
    roles = verdict["roles"]
    assert FINAL in roles["counted"] and "younger-2013" in roles["counted"]
    assert roles["lead"] == [INNOVA] and INNOVA not in roles["counted"]
    assert roles["running"] and roles["context"] and roles["apart"]
    assert verdict["n_studies"] == str(len(roles["counted"]))


def test_a_study_carries_its_arms_outcomes_results_and_records(payload):
    ev = payload["cards"][FINAL]["ev"]
    assert [a["arm_role"] for a in ev["arms"]] == ["experimental", "placebo"]
    assert ev["arms"][0]["n_randomised"] == "49" and ev["arms"][0]["regimen"][0] == "ldn-6mg"
    primary = ev["outcomes"][0]
    assert primary["outcome_role"] == "primary" and primary["timepoint"] == "12 weeks"
    (result,) = primary["results"]
    assert all(part in result["numbers"] for part in FINAL_NUMBERS)
    assert result["direction"] == "no_difference" and result["verification"] == "V"
    registry = next(r for r in ev["records"] if r["record_type"] == "registry_record")
    assert registry["seen"] == "2026-12-02" and registry["verification"] == "V"
    assert registry["urls"] and all(url == link and link.startswith("https://") for url, link in registry["urls"])
    facts = payload["cards"][FINAL]["x"]
    assert facts["finding"] == "no_difference" and facts["published"] == "2023-12-05"
    assert facts["status_as_of"] == "2026-12-02"


def test_a_lead_and_a_source_article_say_what_they_are(payload, view):
    records = payload["cards"][INNOVA]["ev"]["records"]
    assert any(r["verification"] == "V2" for r in records)
    results = [r for o in payload["cards"][INNOVA]["ev"]["outcomes"] for r in o["results"]]
    assert results and all(r["verification"] == "V2" for r in results)
    sources = [n for n in view.nodes.values() if n.kind == "source"]
    assert sources and any(dict(n.fields).get("published") for n in sources)


def test_only_http_urls_become_links():
    assert web_url("https://pubmed.ncbi.nlm.nih.gov/38258677") == "https://pubmed.ncbi.nlm.nih.gov/38258677"
    assert web_url(" http://example.org/a ") == "http://example.org/a"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://x.org/"><img src=x onerror=alert(1)>',
        "https://x.org/a b",
        "//x.org/a",
        "ftp://x.org/a",
        "",
    ):
        assert web_url(bad) is None, bad


# --- a hostile graph ----------------------------------------------------------------------------------

EVIL = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture()
def hostile_evidence(hostile_graph):
    """The hostile graph with a verdict, a primary record, an arm, an outcome and a result of hostile text."""
    from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef

    from ldngraph.core import namespaces as ns

    ldn, nid = Namespace(ns.VOCAB), Namespace(ns.ID)
    g = hostile_graph
    study, cond = nid["evil-study"], nid["evil-cond"]
    g.add((study, ldn.study_finding, Literal("benefit")))
    g.add((study, ldn.investigates, cond))
    g.add((nid["evil-source"], ldn.published, Literal(EVIL)))
    for node_id, cls, label in (
        ("evil-record", ldn.PrimaryRecord, "record " + EVIL),
        ("evil-arm", ldn.StudyArm, "arm " + EVIL),
        ("evil-outcome", ldn.OutcomeMeasure, "outcome " + EVIL),
        ("evil-result", ldn.StudyResult, "result " + EVIL),
        ("evil-verdict", ldn.Verdict, "verdict " + EVIL),
    ):
        g.add((nid[node_id], RDF.type, cls))
        g.add((nid[node_id], RDFS.label, Literal(label)))
    record = nid["evil-record"]
    g.add((record, ldn.reports, study))
    g.add((record, ldn.url, Literal("javascript:window.__pwned=1", datatype=XSD.anyURI)))
    g.add((record, ldn.url, Literal('https://example.org/"><script>window.__pwned=1</script>')))
    g.add((record, ldn.url, Literal("https://example.org/safe", datatype=XSD.anyURI)))
    g.add((record, ldn.seen, Literal("2026-12-02", datatype=XSD.date)))
    g.add((record, ldn.verification, Literal("V2")))
    g.add((nid["evil-arm"], ldn.arm_of, study))
    g.add((nid["evil-arm"], ldn.arm_role, Literal(EVIL)))
    g.add((nid["evil-arm"], ldn.background, Literal(EVIL)))
    g.add((nid["evil-outcome"], ldn.outcome_of, study))
    g.add((nid["evil-outcome"], ldn.measure, Literal(EVIL)))
    g.add((nid["evil-result"], ldn.result_of, nid["evil-outcome"]))
    g.add((nid["evil-result"], ldn.estimate_kind, Literal(EVIL)))
    g.add((nid["evil-result"], ldn.estimate, Literal("1.5")))
    g.add((nid["evil-result"], ldn.note, Literal(EVIL)))
    verdict = nid["evil-verdict"]
    g.add((verdict, ldn.verdict_for, cond))
    g.add((verdict, ldn.verdict, URIRef(ns.VERDICT + "benefit_shown")))
    g.add((verdict, ldn.certainty, URIRef(ns.CERTAINTY + "low")))
    g.add((verdict, ldn.reasons, Literal("reason " + EVIL)))
    g.add((verdict, ldn.review_check, Literal("review " + EVIL)))
    g.add((verdict, ldn.articles_claimed, Literal("article evil: " + EVIL)))
    g.add((verdict, ldn.counts_study, study))
    return g


def test_hostile_urls_never_become_links_in_the_model(hostile_evidence):
    data = view_payload(build_view(hostile_evidence, {}))
    (record,) = data["cards"]["evil-study"]["ev"]["records"]
    links = {url: link for url, link in record["urls"]}
    assert links["javascript:window.__pwned=1"] is None
    assert links['https://example.org/"><script>window.__pwned=1</script>'] is None
    assert links["https://example.org/safe"] == "https://example.org/safe"
    record_card = data["cards"]["evil-record"]["l"]
    assert [x[2] for x in record_card if x[1].startswith("javascript")] == [None]


@pytest.mark.slow
def test_hostile_evidence_stays_text_in_the_panel_and_the_card(browser, tmp_path, hostile_evidence):  # noqa: F811
    path = write_html(build_view(hostile_evidence, {}), tmp_path / "evil.html")
    page = Page(browser, path, fragment="#c=evil-cond&n=evil-cond")
    try:
        text = page.card_text()
        assert "reason " + EVIL in text and "review " + EVIL in text and EVIL in text
        assert page.page.locator('#independent-studies .study-entry[data-study="evil-study"]').count() == 1
        page.goto("#n=evil-study")
        text = page.card_text()
        assert "javascript:window.__pwned=1" in text and "unverified lead (V2)" in text
        hrefs = page.js("[...document.querySelectorAll('#card a')].map(a => a.getAttribute('href'))")
        assert "https://example.org/safe" in hrefs
        assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
        assert page.js("document.querySelectorAll('#card script, #card img').length") == 0
        page.goto("#n=evil-record")
        hrefs = page.js("[...document.querySelectorAll('#card a')].map(a => a.getAttribute('href'))")
        assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
        assert page.js("typeof window.__pwned") == "undefined"
        assert page.errors == [] and page.requests == []
    finally:
        page.page.close()


# --- in Chromium: the curated graph -------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_path(view, tmp_path_factory):
    return write_html(view, tmp_path_factory.mktemp("evidence") / "curated.html")


@pytest.fixture()
def page(browser, page_path):  # noqa: F811
    p = Page(browser, page_path, width=1280, height=720)
    yield p
    assert p.errors == [] and p.requests == []
    p.page.close()


@pytest.mark.slow
def test_fibromyalgia_panel_reads_the_verdict_with_finals_numbers(page, view):
    page.goto("#c=fibromyalgia&n=fibromyalgia")
    verdict = page.page.locator("#verdict").inner_text()
    assert "conflicting" in verdict and "certainty low" in verdict
    for reason in view.nodes["fibromyalgia"].verdict["reasons"]:
        assert reason in verdict
    assert page.page.locator("#review-checks li").count() == len(view.nodes["fibromyalgia"].verdict["review_checks"])
    claimed = page.page.locator("#articles-claimed").inner_text()
    assert "3 of 4 statements support it" in claimed and "(not before" in claimed  # the article, with its date
    final = page.page.locator(f'#independent-studies .study-entry[data-study="{FINAL}"]')
    assert final.get_attribute("data-role") == "counted" and final.get_attribute("data-finding") == "no_difference"
    entry = final.inner_text()
    assert all(part in entry for part in FINAL_NUMBERS), entry
    mark = final.locator(".dir").first
    assert mark.inner_text() == "\u25cf"
    younger = page.page.locator('#independent-studies .study-entry[data-study="younger-2013"] .dir').first
    assert younger.inner_text() == "\u25b2"
    assert mark.evaluate("e => getComputedStyle(e).color") != younger.evaluate("e => getComputedStyle(e).color")
    lead = page.page.locator(f'#independent-studies .study-entry[data-study="{INNOVA}"]')
    assert lead.get_attribute("data-role") == "lead" and "unverified lead (V2)" in lead.inner_text()
    assert page.page.locator("#running-trials .study-entry").count() >= 1
    assert page.js("document.getElementById('condition-claims').open") is False  # the articles' claims: one click
    page.screenshot("viewer-evidence-condition.png")


@pytest.mark.slow
def test_study_card_shows_arms_outcomes_and_records_with_links_and_dates(page):
    page.goto(f"#n={FINAL}")
    text = page.card_text()
    assert "finding: no difference" in text and "published 2023-12-05" in text and "as of 2026-12-02" in text
    arms = page.page.locator("#study-arms").inner_text()
    assert "experimental" in arms and "n = 49" in arms and "placebo" in arms and "n = 50" in arms
    outcomes = page.page.locator("#study-outcomes").inner_text()
    assert all(part in outcomes for part in FINAL_NUMBERS) and "primary" in outcomes and "exploratory" in outcomes
    records = page.page.locator("#primary-records")
    assert "seen 2026-12-02" in records.inner_text()
    links = records.locator("a.record-url")
    assert links.count() >= 4
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith("https://")
        assert "noopener" in link.get_attribute("rel") and link.get_attribute("target") == "_blank"
        assert link.get_attribute("title") == link.get_attribute("href")
    page.screenshot("viewer-evidence-study-card.png")


@pytest.mark.slow
def test_lead_card_is_marked_and_source_articles_carry_their_dates(page, view):
    page.goto(f"#n={INNOVA}")
    records = page.page.locator("#primary-records").inner_text()
    assert "unverified lead (V2)" in records and "primary record (V)" in records
    assert "unverified lead (V2)" in page.page.locator("#study-outcomes").inner_text()
    page.goto("#n=younger-2013")
    sources = page.page.locator("#source-articles li").all_inner_texts()
    reported = [e.target for e in view.edges if e.source == "younger-2013" and e.predicate == "reported_in"]
    assert len(sources) == len(reported) > 0
    dated = [dict(view.nodes[s].fields).get("published") for s in reported]
    assert any(dated), "a source article of Younger 2013 has a published date"
    for published in filter(None, dated):
        assert any(f"({published})" in s for s in sources), (published, sources)


@pytest.mark.slow
def test_study_details_never_flood_the_drawing(page, view):
    details = {n.id for n in view.nodes.values() if n.kind in DETAIL_KINDS}
    assert len(details) > 100
    for fragment in ("#v=overview", "#c=fibromyalgia&n=fibromyalgia", f"#c=fibromyalgia&n={FINAL}", "#v=all"):
        page.goto(fragment)
        assert not set(page.js("window.ldnViz.visibleIds()")) & details, fragment
    page.page.locator("#toggle-side").click()
    page.page.locator("#details").check()
    assert set(page.js("window.ldnViz.visibleIds()")) >= details
    assert "sd=1" in page.js("location.hash")
    page.page.locator("#details").uncheck()
    assert not set(page.js("window.ldnViz.visibleIds()")) & details
    page.goto(f"#n={FINAL}")
    page.page.locator("#draw-details").click()
    visible = set(page.js("window.ldnViz.visibleIds()"))
    assert {"nct04270877-ldn", "nct04270877-pain-nrs", "nct04270877-registry"} <= visible
    page.goto("#v=overview")
    page.js("window.ldnViz.select('r-nct04270877-pain-nrs')")  # a result chosen by search: drawn, its card open
    assert page.js("window.ldnViz.nodes.get('r-nct04270877-pain-nrs').hidden") is False
    assert "mean difference -0.34" in page.card_text()


def test_readme_shows_a_fresh_viewer_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shots = [line for line in readme.splitlines() if "docs/img/viewer" in line]
    assert shots, "the README shows the viewer"
    for line in shots:
        for name in re.findall(r"\]\((docs/img/viewer[^)\s]*\.png)\)", line):
            assert Path(ROOT / name).is_file(), name
