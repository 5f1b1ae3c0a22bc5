"""The viewer built around a question (issue 13), in headless Chromium: readable overview, condition view,
selection and filters that isolate, --focus, cards, the URL fragment, exports, phones, keyboard, toggles.

Each test checks one behaviour a reader relies on and fails if it regresses (see docs/viewer.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_viz_browser import ROOT, Page, browser  # noqa: F401  (the fixture is used by name)

from ldngraph.viewer.model import build_view, neighbourhood, synthetic_graph
from ldngraph.viewer.page import view_payload, write_html
from ldngraph.viewer.terms import DETAIL_KINDS

pytestmark = pytest.mark.slow
GLYPHS = {"supports": "\u25b2", "no_effect": "\u25cf", "mixed": "\u25c6", "contradicts": "\u25bc"}


@pytest.fixture(scope="module")
def view():
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.build import load_graph

    return build_view(load_graph(ROOT / "graph"), load_metagraph(ROOT / "graph").layers, title="ldngraph")


@pytest.fixture(scope="module")
def page_path(view, tmp_path_factory):
    return write_html(view, tmp_path_factory.mktemp("redesign") / "curated.html")


@pytest.fixture()
def page(browser, page_path):  # noqa: F811
    p = Page(browser, page_path, width=1280, height=720)
    yield p
    assert p.requests == [], "the page tried to reach the network"
    p.page.close()


def label_boxes(p: Page) -> list[dict]:
    """The drawn box (shape and label) of every visible node, in CSS pixels of the canvas."""
    return p.js(
        """() => { const v = window.ldnViz, n = v.network; n.redraw();
           return v.visibleIds().map(id => { const b = n.getBoundingBox(id);
             const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
             return {id, left: a.x, top: a.y, right: z.x, bottom: z.y}; }); }"""
    )


def test_overview_at_1280x720_has_readable_labels_and_no_overlapping_nodes(page):
    assert page.js("document.body.dataset.view") == "overview"
    assert page.js("window.ldnViz.network.getScale() * window.ldnViz.fontSize") >= 11, "labels under 11 px"
    boxes = label_boxes(page)
    assert len(boxes) > 40
    size = page.js("[document.getElementById('net').clientWidth, document.getElementById('net').clientHeight]")
    for b in boxes:
        assert b["left"] >= -1 and b["top"] >= -1 and b["right"] <= size[0] + 1 and b["bottom"] <= size[1] + 1, b
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = (
                min(a["right"], b["right"]) - max(a["left"], b["left"]),
                min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]),
            )
            assert overlap[0] <= 0.5 or overlap[1] <= 0.5, f"{a['id']} overlaps {b['id']}"
    page.screenshot("viewer-overview-1280.png")


def test_search_enter_picks_the_exact_name_and_conditions_first(page):
    rank = page.js("window.ldnViz.searchRank('fibromyalgia')")
    assert rank[0] == "fibromyalgia" and len(rank) > 3
    assert page.js("window.ldnViz.searchRank('fm')")[0] == "fibromyalgia"  # a synonym beats substrings
    first = page.js("window.ldnViz.searchRank('crohn')")[0]
    assert page.js(f"window.ldnViz.nodes.get('{first}').kind") == "condition"  # prefix, condition before study
    page.page.locator("#search").fill("fibromyalgia")
    page.page.locator("#search").press("Enter")
    assert page.js("window.ldnViz.state.cond") == "fibromyalgia"
    assert page.js("document.getElementById('card').dataset.node") == "fibromyalgia"
    assert page.js("document.body.dataset.view") == "condition"


def test_condition_panel_lists_independent_studies_with_shape_and_colour(page, view):
    page.goto("#c=fibromyalgia&n=fibromyalgia")
    entries = page.js(
        """[...document.querySelectorAll('#independent-studies .study-entry')].map(e => ({
             id: e.dataset.study, role: e.dataset.role, finding: e.dataset.finding,
             mark: e.querySelector('.dir').textContent, color: getComputedStyle(e.querySelector('.dir')).color,
             bar: e.querySelector('.n-bar') ? e.querySelector('.n-bar').getBoundingClientRect().width : 0}))"""
    )
    ids = [e["id"] for e in entries]
    roles = view.nodes["fibromyalgia"].verdict["roles"]
    expected = [s for role in ("counted", "context", "apart", "lead") for s in roles.get(role, [])]
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids)), "one entry per study the verdict names"
    designs = {view.nodes[i].facts.get("design", "") for i in ids}
    assert not [d for d in designs if "review" in d or "meta_analysis" in d], "reviews are not independent studies"
    marks = {"benefit": "\u25b2", "no_difference": "\u25cf", "mixed": "\u25c6", "harm": "\u25bc", "uncertain": "?"}
    for e in entries:
        assert e["finding"] == (view.nodes[e["id"]].facts.get("finding") or "none")
        if e["finding"] in marks:
            assert e["mark"] == marks[e["finding"]]
    colours = {e["color"] for e in entries if e["finding"] == "benefit"} | {
        e["color"] for e in entries if e["finding"] == "no_difference"
    }
    assert len(colours) == 2, "benefit and no difference share a colour"
    younger = next(e for e in entries if e["id"] == "younger-2013")
    small = [e for e in entries if e["bar"] and view.nodes[e["id"]].facts.get("n") == "10"]
    assert not small or younger["bar"] > small[0]["bar"], "bars are not sized by participants"
    text = page.card_text()
    assert "Counted (3)" in text and "Leads (1)" in text
    assert page.page.locator("#running-trials .study-entry").count() == len(roles.get("running", []))
    assert page.page.locator("#verdict").count() == 1
    paths = page.js("window.ldnViz.mechanismPaths('fibromyalgia')")
    assert paths and all(p[0] in ("naltrexone",) or view.nodes[p[0]].kind == "dose_regimen" for p in paths)
    assert page.page.locator("#mechanism-paths li.path").count() == len(paths)


def test_verdict_slot_shows_the_verdict_from_node_data_or_says_none(browser, tmp_path):  # noqa: F811
    v = build_view(synthetic_graph(60), {})
    conditions = sorted(n.id for n in v.nodes.values() if n.kind == "condition")
    v.nodes[conditions[0]].verdict = {"statement": "benefit shown <b>", "certainty": "low", "reasons": ["two RCTs"]}
    v.nodes[conditions[1]].verdict = None
    data = view_payload(v)
    assert data["cards"][conditions[0]]["verdict"]["reasons"] == ["two RCTs"]
    p = Page(browser, write_html(v, tmp_path / "v.html"), fragment=f"#c={conditions[0]}&n={conditions[0]}")
    try:
        text = p.page.locator("#verdict").inner_text()
        assert "benefit shown <b>" in text and "low" in text and "two RCTs" in text
        p.goto(f"#c={conditions[1]}&n={conditions[1]}")
        assert "No verdict computed" in p.page.locator("#verdict").inner_text()
    finally:
        p.page.close()


def test_selection_highlights_neighbours_dims_the_rest_and_zooms(page):
    page.goto("#v=all")
    page.js("window.ldnViz.select('younger-2013')")
    state = page.js(
        """(() => { const v = window.ldnViz; const o = {};
           v.visibleIds().forEach(id => { o[id] = v.nodes.get(id).opacity; }); return o; })()"""
    )
    neighbours = set(page.js("window.ldnViz.network.getConnectedNodes('younger-2013')")) & set(state)
    assert state["younger-2013"] == 1 and all(state[n] == 1 for n in neighbours)
    assert [n for n, o in state.items() if o < 0.5 and n not in neighbours]
    size = page.js("[document.getElementById('net').clientWidth, document.getElementById('net').clientHeight]")
    chosen = [b for b in label_boxes(page) if b["id"] in neighbours or b["id"] == "younger-2013"]
    for b in chosen:
        assert b["left"] >= -1 and b["right"] <= size[0] + 1 and b["top"] >= -1 and b["bottom"] <= size[1] + 1
    span = (max(b["right"] for b in chosen) - min(b["left"] for b in chosen),
            max(b["bottom"] for b in chosen) - min(b["top"] for b in chosen))
    assert span[0] >= 0.8 * size[0] or span[1] >= 0.8 * size[1], "the view is not fitted to the selection"
    page.page.locator("#toggle-side").click() if not page.page.locator("#dim").is_visible() else None
    page.page.locator("#dim").uncheck()
    assert page.js("window.ldnViz.visibleIds().filter(id => window.ldnViz.nodes.get(id).opacity < 1).length") == 0
    page.page.locator("#dim").check()
    assert page.js("window.ldnViz.visibleIds().filter(id => window.ldnViz.nodes.get(id).opacity < 1).length") > 0


def test_clinical_layer_filter_isolates_its_subgraph_and_fit_fits_it(page, view):
    page.goto("#v=all&xl=" + ",".join(sorted({e.layer for e in view.edges} - {"clinical"})))
    clinical = [e for e in view.edges if e.layer == "clinical"]
    ends = {e.source for e in clinical} | {e.target for e in clinical}
    counts = page.counts()
    assert counts["visibleEdges"] == len(clinical) > 0
    assert set(page.js("window.ldnViz.visibleIds()")) == ends
    assert page.js("window.ldnViz.edges.get().filter(e => e.hidden === false).length") == len(clinical)
    page.js("window.ldnViz.network.moveTo({scale: 0.1})")
    page.page.locator("#fit").click()
    boxes = label_boxes(page)
    size = page.js("[document.getElementById('net').clientWidth, document.getElementById('net').clientHeight]")
    assert all(b["left"] >= -1 and b["right"] <= size[0] + 1 and b["bottom"] <= size[1] + 1 for b in boxes)
    assert page.js("window.ldnViz.network.getScale()") > 0.3


def test_focus_page_marks_its_node_and_keeps_the_depth(browser, view, tmp_path):  # noqa: F811
    sub = neighbourhood(view, "fibromyalgia", 2)
    assert sub.focus == "fibromyalgia" and len(sub.nodes) < len(view.nodes) / 2
    adjacency = view.neighbours()
    assert all(
        n in adjacency["fibromyalgia"]
        or n == "fibromyalgia"
        or adjacency[n] & adjacency["fibromyalgia"]
        or any(n in adjacency[m] for m in adjacency["fibromyalgia"])
        for n in sub.nodes
    )
    p = Page(browser, write_html(sub, tmp_path / "focus.html"), width=1280, height=720)
    try:
        details = {n.id for n in sub.nodes.values() if n.kind in DETAIL_KINDS}
        assert details, "a study's arms, outcomes and records are within depth 2"
        assert p.counts()["visibleNodes"] == len(sub.nodes) - len(details), "details are drawn only when asked"
        node = p.js("window.ldnViz.nodes.get('fibromyalgia')")
        assert node["borderWidth"] >= 4 and "focus" in node["label"]
        assert sum("(focus)" in n["label"] for n in p.js("window.ldnViz.nodes.get()")) == 1
        assert p.js("document.getElementById('card').dataset.node") == "fibromyalgia"
        assert "neighbourhood of fibromyalgia" in p.page.locator("#notes").inner_text()
        p.goto("#v=all&sd=1&n=fibromyalgia")
        assert p.counts()["visibleNodes"] == len(sub.nodes)
    finally:
        p.page.close()


def test_edge_card_groups_claims_by_study_and_links_every_record(page, view):
    edge = next(
        e for e in view.edges if (e.source, e.predicate, e.target) == ("ldn-4.5mg", "studied_for", "fibromyalgia")
    )
    page.goto("#v=all&e=" + edge.id)
    studies = {c.study for c in edge.claims if c.study}
    groups = page.js("[...document.querySelectorAll('#card .study-group')].map(g => g.dataset.study)")
    assert sorted(g for g in groups if g) == sorted(studies), "one group per study"
    hrefs = page.js(
        "[...document.querySelectorAll('#card .study-group[data-study=\"younger-2013\"] a')].map(a => a.href)"
    )
    assert "https://pubmed.ncbi.nlm.nih.gov/23359310" in hrefs
    for node_id in studies:
        for link in view.nodes[node_id].links:
            if link.url:
                assert link.url in page.js("[...document.querySelectorAll('#card a')].map(a => a.href)"), link.url
    text = page.card_text()
    assert "28.8%" in text  # result numbers of the study
    assert "2013" in text  # the article is named with its date


def test_fragment_keeps_selection_and_filters_across_reload(page):
    page.page.locator("#f-condition").select_option("crohns-disease")
    if not page.page.locator("#side").is_visible():
        page.page.locator("#toggle-side").click()
    page.page.locator('input[name="kind"][value="study"]').uncheck()
    url = page.page.url
    assert "c=crohns-disease" in url and "xk=study" in url
    visible = sorted(page.js("window.ldnViz.visibleIds()"))
    page.page.goto("about:blank")
    page.page.goto(url)
    page.page.wait_for_function("window.ldnViz && window.ldnViz.ready === true")
    assert sorted(page.js("window.ldnViz.visibleIds()")) == visible
    assert page.js("document.getElementById('card').dataset.node") == "crohns-disease"
    assert page.page.locator('input[name="kind"][value="study"]').is_checked() is False
    assert page.page.locator("#f-condition").input_value() == "crohns-disease"


def test_visible_graph_and_open_card_export_as_csv_and_json(page):
    page.goto("#c=fibromyalgia&n=fibromyalgia")
    page.page.locator("#export summary").click()
    with page.page.expect_download() as info:
        page.page.locator('[data-export="graph:csv"]').click()
    lines = Path(info.value.path()).read_text(encoding="utf-8").strip().splitlines()
    counts = page.counts()
    assert lines[0].startswith("record,id,label,kind")
    assert len(lines) - 1 == counts["visibleNodes"] + counts["visibleEdges"]
    with page.page.expect_download() as info:
        page.page.locator('[data-export="card:json"]').click()
    assert info.value.suggested_filename.endswith(".json")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["node"]["id"] == "fibromyalgia" and data["studies"] and "verdict" in data
    assert page.requests == []


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024)])
def test_phone_and_tablet_draw_the_graph_and_stack_the_panels(browser, page_path, width, height):  # noqa: F811
    p = Page(
        browser,
        page_path,
        fragment="#c=fibromyalgia&n=fibromyalgia",
        width=width,
        height=height,
        is_mobile=width < 500,
        has_touch=True,
    )
    try:
        stage = p.page.locator("#stage").bounding_box()
        card = p.page.locator("#card").bounding_box()
        assert stage["width"] >= width - 2 and stage["height"] >= 300
        assert card["y"] >= stage["y"] + stage["height"] - 1, "the card is not below the graph"
        assert p.js("document.documentElement.scrollWidth") <= width + 1, "the page scrolls sideways"
        drawn = p.js(
            """(() => { const c = document.querySelector('#net canvas'); const x = c.getContext('2d');
               const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0;
               for (let i = 0; i < d.length; i += 16) { if (d[i] < 200 || d[i + 1] < 200) { n++; } } return n; })()"""
        )
        assert drawn > 500, "the graph did not draw"
        assert p.errors == []
        p.screenshot(f"viewer-{width}x{height}.png")
    finally:
        p.page.close()


def test_keyboard_tab_through_results_enter_opens_escape_closes(page):
    page.page.locator("#search").fill("younger")
    page.page.wait_for_selector("#results.open")
    first, second = page.js("[...document.querySelectorAll('#results button')].slice(0, 2).map(b => b.dataset.id)")
    page.page.keyboard.press("Tab")
    assert page.js("document.activeElement.dataset.id") == first
    page.page.keyboard.press("Tab")
    assert page.js("document.activeElement.dataset.id") == second
    page.page.keyboard.press("Enter")
    assert page.js("document.getElementById('card').dataset.node") == second
    page.page.keyboard.press("Escape")
    assert page.js("document.getElementById('card').dataset.node") is None
    assert page.js("window.ldnViz.state.sel") is None


def test_physics_can_be_undone(page):
    page.goto("#v=all")
    if not page.page.locator("#side").is_visible():
        page.page.locator("#toggle-side").click()
    before = page.js("window.ldnViz.network.getPositions()")
    page.page.locator("#physics").check()
    page.page.wait_for_timeout(600)
    moved = page.js("window.ldnViz.network.getPositions()")
    assert any(abs(moved[k]["x"] - before[k]["x"]) > 1 for k in before), "physics did nothing"
    page.page.locator("#physics").uncheck()
    after = page.js("window.ldnViz.network.getPositions()")
    assert all(abs(after[k]["x"] - before[k]["x"]) < 0.5 and abs(after[k]["y"] - before[k]["y"]) < 0.5 for k in before)


def test_tooltip_follows_the_pointer_and_never_sticks(page):
    page.goto("#c=fibromyalgia")
    box = page.page.locator("#net canvas").bounding_box()

    def hover(node_id):
        pt = page.js(
            f"window.ldnViz.network.canvasToDOM(window.ldnViz.network.getPositions(['{node_id}'])['{node_id}'])"
        )
        page.page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"])
        page.page.wait_for_timeout(150)
        return page.js(
            "[getComputedStyle(document.getElementById('tip')).display, document.getElementById('tip').textContent]"
        )

    shown = hover("younger-2013")
    assert shown[0] == "block" and "Younger 2013" in shown[1]
    page.page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.page.wait_for_timeout(150)
    assert page.js("getComputedStyle(document.getElementById('tip')).display") == "none"
    shown = hover("fibromyalgia")
    assert "Younger" not in shown[1] and "fibromyalgia" in shown[1]
    page.page.mouse.move(box["x"] + box["width"] + 50, box["y"] + 10)  # leave the canvas
    assert page.js("getComputedStyle(document.getElementById('tip')).display") == "none"


def test_one_legend_drawn_as_the_network_draws(page, view):
    page.goto("#v=all")
    assert page.page.locator("#edge-legend").count() == 0
    legend = page.js(
        """Object.fromEntries([...document.querySelectorAll('input[name=direction]')].map(b =>
             [b.value, [b.parentElement.querySelector('.sym').textContent,
                        b.parentElement.querySelector('.sym').style.color]]))"""
    )
    drawn = page.js(
        """(() => { const v = window.ldnViz, out = {};
           v.data.edges.forEach(e => { const d = v.edges.get(e[0]);
             if (e[8].length && !e[7] && ['clinical','preclinical','hypothesis'].includes(e[4]))
               { out[e[6]] = [d.label, d.color.color]; } }); return out; })()"""
    )
    assert drawn
    for direction, (label, colour) in drawn.items():
        assert legend[direction][0] == label == GLYPHS[direction]
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert legend[direction][1] == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"
    kinds = page.js("[...document.querySelectorAll('input[name=kind]')].map(b => b.value)")
    assert sorted(kinds) == sorted({n.kind for n in view.nodes.values()})
