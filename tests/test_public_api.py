"""The public API: every name of `import ldngraph` is the function or class it documents, every time.

Modules named like public functions used to shadow them after the first call
(`ldngraph.query(...)` then `TypeError: 'module' object is not callable`)."""

from __future__ import annotations

import subprocess
import sys
import types

import ldngraph


def test_no_public_name_is_a_module_even_after_every_layer_is_imported():
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(ldngraph.__path__, "ldngraph."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in ldngraph.__all__:
        assert not isinstance(getattr(ldngraph, name), types.ModuleType), name


def test_query_export_lint_validate_build_can_each_be_called_twice(tmp_path):
    script = f"""
import ldngraph, pathlib
out = pathlib.Path({str(tmp_path)!r})
for _ in range(2):
    frame = ldngraph.query("trials", dataframe=True)
    assert len(frame) > 0
    assert ldngraph.validate("graph", shacl=False).report.ok
    assert not ldngraph.lint("graph", check=True).changed
    assert ldngraph.export("csv", out / "csv", "graph")
    assert callable(ldngraph.build) and callable(ldngraph.query) and callable(ldngraph.export)
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_load_graph_and_load_curated_work_outside_the_repository(tmp_path):
    script = ("import ldngraph; g = ldngraph.load_graph(); c = ldngraph.load_curated(); "
              "print(len(g) > 1000, len(c.records.claims) > 100)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.split() == ["True", "True"], done.stderr[-2000:]


def test_the_evidence_table_is_public():
    from ldngraph.explore.evidence_table import evidence_table

    assert "evidence_table" in ldngraph.__all__ and ldngraph.evidence_table is evidence_table
