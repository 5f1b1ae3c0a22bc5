"""Where the curated graph and the build output live by default."""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[3]


def default_graph_dir() -> Path:
    """$LDNGRAPH_GRAPH_DIR, else ./graph when it exists, else the graph/ folder of this checkout."""
    env = os.environ.get("LDNGRAPH_GRAPH_DIR")
    if env:
        return Path(env)
    local = Path("graph")
    if (local / "records").is_dir():
        return local
    return _CHECKOUT / "graph"


def default_build_dir() -> Path:
    """$LDNGRAPH_BUILD_DIR, else build/ beside the default graph folder."""
    env = os.environ.get("LDNGRAPH_BUILD_DIR")
    if env:
        return Path(env)
    return default_graph_dir().resolve().parent / "build"
