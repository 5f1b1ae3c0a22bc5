"""Shared fixtures: the real curated graph, the source articles, temporary copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"
SOURCES_DIR = ROOT.parent / "shared" / "sources"
RESOURCES = Path(__file__).resolve().parent / "resources"


@pytest.fixture(scope="session")
def graph_dir() -> Path:
    """The real curated graph folder."""
    return GRAPH_DIR


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The source articles (tests that need them skip when they are absent)."""
    if not SOURCES_DIR.is_dir():
        pytest.skip("../shared/sources is not present")
    return SOURCES_DIR


@pytest.fixture(scope="session")
def curated():
    """The validated real records (records + metagraph)."""
    from ldngraph.curated import load_curated

    return load_curated(GRAPH_DIR)


@pytest.fixture(scope="session")
def rdf_graph():
    """The real graph as an rdflib Graph (records + vocabulary)."""
    from ldngraph.build import load_graph

    return load_graph(GRAPH_DIR)


@pytest.fixture()
def graph_copy(tmp_path: Path) -> Path:
    """A writable copy of the real graph folder."""
    target = tmp_path / "graph"
    shutil.copytree(GRAPH_DIR, target)
    return target
