"""Property-based tests: any input either loads or fails with the project's own problems, never an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import FIXTURE_SOURCES, make_graph_dir
from ldngraph.core.problems import Problem
from ldngraph.core.schema import MODEL_BY_FILE, columns
from ldngraph.curation.records import load_records
from ldngraph.rdf.validate import validate

_BASE = Path(tempfile.mkdtemp(prefix="ldngraph-props-"))
_TEMPLATE = make_graph_dir(_BASE)
FILES = sorted(MODEL_BY_FILE)

cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\t\n\r"), max_size=20) | st.sampled_from(
    ["", "drug-x", "condition-a", "rct", "supports", "-1", "1e309", "nan", "|", "a|b", "NCT1"]
)


def _fresh_graph() -> Path:
    target = Path(tempfile.mkdtemp(dir=_BASE)) / "graph"
    shutil.copytree(_TEMPLATE, target)
    return target


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_name=st.sampled_from(FILES), payload=st.binary(max_size=400))
def test_arbitrary_bytes_in_any_record_file_give_problems_not_exceptions(file_name: str, payload: bytes) -> None:
    graph = _fresh_graph()
    (graph / "records" / file_name).write_bytes(payload)
    records, report = load_records(graph)
    assert all(isinstance(p, Problem) and p.file and p.message for p in report.problems)
    assert records is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_name=st.sampled_from(FILES), data=st.data())
def test_rows_of_arbitrary_cells_validate_or_report_problems(file_name: str, data: st.DataObject) -> None:
    graph = _fresh_graph()
    header = columns(MODEL_BY_FILE[file_name])
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=3))
    path = graph / "records" / file_name
    existing = path.read_text() if path.exists() else "\t".join(header) + "\n"
    text = existing + "".join("\t".join(row) + "\n" for row in rows)
    path.write_text(text)
    report = validate(graph, sources_dir=FIXTURE_SOURCES, shacl=False).report
    assert all(isinstance(p, Problem) for p in report.problems)
