"""Hostile text in the viewer beyond tags: very long labels and quotes stay text and keep the page usable."""

from __future__ import annotations

import pytest
from rdflib import Literal, Namespace
from test_viz_browser import Page, browser  # noqa: F401  (the fixture is used by name)

from ldngraph.core import namespaces as ns
from ldngraph.viewer.model import build_view
from ldngraph.viewer.page import write_html

pytestmark = pytest.mark.slow

LONG = ("<script>window.__pwned=1</script>" + "x" * 70) * 2000  # about 200,000 characters


def test_very_long_hostile_label_and_quote_show_as_text_and_page_stays_usable(browser, tmp_path, hostile_graph):  # noqa: F811
    nid, ldn = Namespace(ns.ID), Namespace(ns.VOCAB)
    hostile_graph.set((nid["evil-cond"], ns_label(), Literal(LONG)))
    hostile_graph.set((nid["evil-claim"], ldn.quote, Literal(LONG)))
    path = write_html(build_view(hostile_graph, {}), tmp_path / "long.html")
    page = Page(browser, path)
    try:
        page.click_node("evil-cond")
        text = page.card_text()
        assert "<script>window.__pwned=1</script>" in text
        assert page.js("typeof window.__pwned") == "undefined"
        overflow = page.js(
            "(() => { const c = document.querySelector('#card'); return c.scrollWidth - c.clientWidth; })()"
        )
        assert overflow <= 2, "a long unbroken label pushed the card wider than its panel"
        assert page.js("document.querySelectorAll('#card script, #card img').length") == 0
        assert page.errors == [] and page.requests == []
        page.screenshot("viz-hostile-long.png")
    finally:
        page.page.close()


def ns_label():
    from rdflib.namespace import RDFS

    return RDFS.label
