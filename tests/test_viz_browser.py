"""The viewer in a real browser: Debian's headless Chromium driven by Playwright for Python.

Every page is opened from file:// with all non-file requests failed and recorded. Screenshots go to
test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HOSTILE_IMG, HOSTILE_SCRIPT

from ldngraph.viewer.model import build_view, synthetic_graph
from ldngraph.viewer.page import write_html

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (scripts/install-system-deps.sh installs it)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from file:// that records console errors, page errors and network attempts."""

    def __init__(
        self, browser, path: Path, fragment: str = "", width: int = 1600, height: int = 900, **options
    ) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.path = path
        self.page = browser.new_page(viewport={"width": width, "height": height}, **options)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                self.requests.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.goto(fragment)

    def goto(self, fragment: str = "") -> None:
        """Open the page afresh (a new document), with this URL fragment (the page's state)."""
        self.page.goto("about:blank")
        self.page.goto(self.path.resolve().as_uri() + fragment)
        self.page.wait_for_function("window.ldnViz && window.ldnViz.ready === true", timeout=60_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def counts(self) -> dict:
        return self.js("window.ldnViz.counts()")

    def click_node(self, node_id: str) -> None:
        point = self.js(
            """(id) => { const n = window.ldnViz.network;
                 n.focus(id, {scale: 1.5, animation: false});
                 const p = n.getPositions([id])[id]; return n.canvasToDOM(p); }""",
            node_id,
        )
        box = self.page.locator("#net canvas").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def click_edge(self, edge_id: str) -> None:
        point = self.js(
            """(id) => { const n = window.ldnViz.network; const e = n.body.edges[id];
                 n.fit({nodes: [e.fromId, e.toId], animation: false});
                 const p = e.edgeType.getPoint(0.5); return n.canvasToDOM(p); }""",
            edge_id,
        )
        box = self.page.locator("#net canvas").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def card_text(self) -> str:
        return self.page.locator("#card").inner_text()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture(scope="module")
def curated_page(browser, tmp_path_factory, curated_view_model):
    path = write_html(curated_view_model, tmp_path_factory.mktemp("viz") / "curated.html")
    page = Page(browser, path)
    yield page
    page.page.close()


@pytest.fixture(scope="module")
def curated_view_model():
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.build import load_graph

    return build_view(load_graph(ROOT / "graph"), load_metagraph(ROOT / "graph").layers, title="ldngraph")


def test_curated_page_loads_offline_without_errors(curated_page, curated_view_model):
    curated_page.goto("#v=all&sd=1")  # the whole graph with the studies' details (arms, outcomes, results, records)
    assert curated_page.errors == []
    assert curated_page.requests == []
    counts = curated_page.counts()
    assert counts["nodes"] == counts["visibleNodes"] == len(curated_view_model.nodes)
    assert counts["edges"] == counts["visibleEdges"] == len(curated_view_model.edges)
    assert curated_page.screenshot("viz-curated.png").stat().st_size > 10_000


def test_kind_filter_hides_studies_and_their_edges(curated_page, curated_view_model):
    studies = {n.id for n in curated_view_model.nodes.values() if n.kind == "study"}
    touching = [e for e in curated_view_model.edges if e.source in studies or e.target in studies]
    curated_page.goto("#v=all&sd=1")
    curated_page.page.locator('input[name="kind"][value="study"]').uncheck()
    try:
        counts = curated_page.counts()
        assert counts["visibleNodes"] == len(curated_view_model.nodes) - len(studies)
        assert counts["visibleEdges"] == len(curated_view_model.edges) - len(touching)
        assert curated_page.js("window.ldnViz.nodes.get('younger-2013').hidden") is True
    finally:
        curated_page.page.locator("#reset").click()
    assert curated_page.counts()["visibleNodes"] == len(curated_view_model.nodes)


def test_level_filter_hides_edges_with_no_claim_left(curated_page, curated_view_model):
    curated_page.goto("#v=all&sd=1")
    for box in curated_page.page.locator('input[name="level"]').all():
        box.uncheck()
    try:
        with_claims = sum(1 for e in curated_view_model.edges if e.claims)
        assert with_claims > 0
        assert curated_page.counts()["visibleEdges"] == len(curated_view_model.edges) - with_claims
    finally:
        curated_page.page.locator("#reset").click()


def test_condition_filter_isolates_that_condition_and_zooms_to_it(curated_page, curated_view_model):
    curated_page.goto("#v=all")
    scale_before = curated_page.js("window.ldnViz.network.getScale()")
    curated_page.page.locator("#f-condition").select_option("fibromyalgia")
    visible = set(curated_page.js("window.ldnViz.visibleIds()"))
    assert {"fibromyalgia", "younger-2013", "ldn-4.5mg"} <= visible
    assert "crohns-disease" not in visible and "multiple-sclerosis" not in visible
    assert len(visible) < len(curated_view_model.nodes) / 3
    assert curated_page.js("window.ldnViz.nodes.get('crohns-disease').hidden") is True
    assert curated_page.js("window.ldnViz.network.getScale()") > scale_before * 2
    assert curated_page.js("document.getElementById('card').dataset.node") == "fibromyalgia"


def test_click_on_study_shows_its_card_with_pubmed_link(curated_page):
    curated_page.goto("#v=all")
    curated_page.click_node("younger-2013")
    text = curated_page.card_text()
    assert "Younger" in text and "PMID:23359310" in text
    href = curated_page.page.locator("#card a", has_text="PMID:23359310").get_attribute("href")
    assert href == "https://pubmed.ncbi.nlm.nih.gov/23359310"
    curated_page.screenshot("viz-study-card.png")


def test_click_on_condition_shows_evidence_summary(curated_page):
    curated_page.goto("#v=all")
    curated_page.click_node("fibromyalgia")
    text = curated_page.card_text()
    assert "INDEPENDENT STUDIES" in text.upper() and "VERDICT" in text.upper()
    assert "Younger 2013" in text
    curated_page.screenshot("viz-condition-card.png")


def test_click_on_evidence_edge_lists_its_claims(curated_page, curated_view_model):
    edge = next(
        e
        for e in curated_view_model.edges
        if (e.source, e.predicate, e.target) == ("ldn-4.5mg", "studied_for", "fibromyalgia")
    )
    curated_page.goto("#v=all")
    curated_page.click_edge(edge.id)
    assert curated_page.js("document.getElementById('card').dataset.edge") == edge.id
    text = curated_page.card_text()
    assert "randomised controlled trial" in text
    assert "Younger 2013" in text
    assert edge.claims[0].quote[:30] in text
    curated_page.screenshot("viz-edge-card.png")


def test_search_finds_and_selects_a_node(curated_page):
    curated_page.goto()
    search = curated_page.page.locator("#search")
    search.fill("younger 2013")
    search.press("Enter")
    assert curated_page.js("window.ldnViz.network.getSelectedNodes()") == ["younger-2013"]
    assert "PMID:23359310" in curated_page.card_text()


def test_hostile_labels_show_as_text_and_run_nothing(browser, tmp_path, hostile_graph):
    path = write_html(build_view(hostile_graph, {}), tmp_path / "hostile.html")
    page = Page(browser, path)
    try:
        assert page.js("typeof window.__pwned") == "undefined"
        page.click_node("evil-cond")
        text = page.card_text()
        assert HOSTILE_IMG in text and HOSTILE_SCRIPT in text
        assert "javascript:alert(1)" in text
        page.click_node("evil-study")
        page.js("window.ldnViz.showEdge(window.ldnViz.data.edges.find(e => e[3] === 'studied_for')[0])")
        assert "<img src=x onerror=window.__pwned=1>" in page.card_text()
        page.page.locator("#search").fill("img")
        page.page.wait_for_selector("#results.open")
        assert HOSTILE_IMG in page.page.locator("#results").inner_text()
        page.page.locator("#search").press("Enter")
        assert page.js("document.querySelectorAll('#card img, #results img, #card script').length") == 0
        assert page.js("[...document.querySelectorAll('a')].filter(a => !/^https?:/.test(a.href)).length") == 0
        assert page.js("typeof window.__pwned") == "undefined"
        assert page.errors == [] and page.requests == []
        page.screenshot("viz-hostile.png")
    finally:
        page.page.close()


def test_capped_page_says_it_shows_a_subset_and_how_to_narrow(browser, tmp_path):
    view = build_view(synthetic_graph(1200), {})
    path = write_html(view, tmp_path / "big.html", max_nodes=400)
    page = Page(browser, path)
    try:
        assert page.counts()["nodes"] == 400
        notes = page.page.locator("#notes").inner_text()
        assert f"400 of {len(view.nodes):,} nodes" in notes
        assert "--focus" in notes and "--query" in notes
        assert page.page.locator("#notes").is_visible()
        assert page.errors == [] and page.requests == []
        page.screenshot("viz-subset.png")
    finally:
        page.page.close()
