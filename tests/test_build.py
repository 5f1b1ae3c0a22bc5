"""Building: atomic output, a failed build keeps the earlier output, clear errors for unwritable folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Graph

from helpers import RESOURCES, make_graph_dir
from ldngraph.core.problems import RecordsInvalid
from ldngraph.rdf.build import BuildConfig, BuildError, build


def test_build_writes_three_formats_and_a_manifest(tmp_path: Path) -> None:
    result = build(BuildConfig(graph_dir=make_graph_dir(tmp_path), out_dir=tmp_path / "out"))
    assert set(result.files) == {"ttl", "nt", "jsonld"}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["triples"] == result.triples
    assert sorted(manifest["files"]) == ["ldngraph.jsonld", "ldngraph.nt", "ldngraph.ttl"]
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_failed_build_leaves_the_earlier_output_intact(tmp_path: Path) -> None:
    graph_dir = make_graph_dir(tmp_path)
    out = tmp_path / "out"
    build(BuildConfig(graph_dir=graph_dir, out_dir=out, shacl=False))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = make_graph_dir(tmp_path / "broken", RESOURCES / "invalid" / "unknown-reference")
    with pytest.raises(RecordsInvalid) as excinfo:
        build(BuildConfig(graph_dir=broken, out_dir=out, shacl=False))
    assert "unknown-reference" in str(excinfo.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert len(Graph().parse(out / "ldngraph.ttl")) > 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_output_folder_gives_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(BuildError, match="cannot write build output"):
            build(BuildConfig(graph_dir=make_graph_dir(tmp_path), out_dir=out, shacl=False))
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_output_path_that_is_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    with pytest.raises(BuildError, match="cannot write build output"):
        build(BuildConfig(graph_dir=make_graph_dir(tmp_path), out_dir=blocker, shacl=False))
    assert blocker.read_text() == "not a folder"


def test_two_builds_in_fresh_processes_give_identical_bytes_in_every_format(tmp_path):
    """JSON-LD included (its node order followed Python's hash seed); different seeds on purpose."""
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        done = subprocess.run([sys.executable, "-m", "ldngraph", "build", "-o", str(out), "--no-shacl"],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == ["ldngraph.jsonld", "ldngraph.nt", "ldngraph.ttl", "manifest.json"]
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
