"""Benchmark of the viewer: page generation and time until the network is drawn and usable.

For the curated graph and synthetic graphs shaped like it (100, 1,000, 5,000, 20,000 nodes):
generation time (view model + layout + HTML, from an rdflib graph already in memory), HTML size,
and in Debian's headless Chromium (Playwright, /usr/bin/chromium) the time from navigation until
the first frame is drawn and the page answers (window.ldnViz.ready), plus the time of one redraw
after a zoom (what a user waits for while exploring). Pages over 5,000 nodes are capped at 5,000
drawn nodes (the page says so). Prints one table.

    python benchmarks/bench_viz.py [--sizes 100 1000 5000 20000] [--no-browser]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ldngraph.viewer.model import build_view, synthetic_graph
from ldngraph.viewer.page import write_html

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def generate(graph, name: str) -> tuple[float, Path, int, int]:
    start = time.perf_counter()
    view = build_view(graph, {})
    path = write_html(view, OUT / f"{name}.html")
    elapsed = time.perf_counter() - start
    return elapsed, path, len(view.nodes), len(view.edges)


def in_browser(browser, path: Path, runs: int = 3) -> tuple[float, float, int]:
    usable, redraw = [], []
    drawn = 0
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.ldnViz && window.ldnViz.ready === true", timeout=180_000)
        usable.append(time.perf_counter() - start)
        drawn = page.evaluate("window.ldnViz.counts().nodes")
        redraw.append(
            page.evaluate(
                """() => { const n = window.ldnViz.network; const t = performance.now();
                   n.moveTo({scale: n.getScale() * 1.5, animation: false}); n.redraw();
                   return performance.now() - t; }"""
            )
            / 1000
        )
        page.close()
    return statistics.median(usable), statistics.median(redraw), drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000, 20000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    from ldngraph.rdf.build import load_graph

    cases = [("curated", load_graph(ROOT / "graph"))]
    for size in args.sizes:
        cases.append((f"synthetic-{size}", synthetic_graph(size)))

    rows = []
    browser = playwright = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    try:
        for name, graph in cases:
            generation, path, nodes, edges = generate(graph, name)
            size_mb = path.stat().st_size / 1e6
            usable = redraw = float("nan")
            drawn = nodes
            if browser is not None:
                usable, redraw, drawn = in_browser(browser, path)
            rows.append((name, len(graph), nodes, edges, drawn, generation, size_mb, usable, redraw))
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()

    header = (
        "| graph | triples | nodes | edges | drawn nodes | generate (s) | HTML (MB) "
        "| usable in Chromium (s) | redraw after zoom (s) |"
    )
    print(header)
    print("|" + "---|" * 9)
    for name, triples, nodes, edges, drawn, gen, size, usable, redraw in rows:
        print(
            f"| {name} | {triples:,} | {nodes:,} | {edges:,} | {drawn:,} | {gen:.2f} | {size:.1f} | "
            f"{usable:.2f} | {redraw:.2f} |"
        )


if __name__ == "__main__":
    main()
