"""The notebooks run top to bottom in a fresh kernel without error, and are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_three_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01-tour.ipynb", "02-mechanisms.ipynb", "03-evidence.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_only_ldngraph(path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if line.startswith(("import ", "from ")):
                assert line.split()[1].split(".")[0] == "ldngraph", f"{path.name}: {line}"


def _outputs(notebook, tag: str) -> str:
    """The text (stdout, text/plain) of the outputs of the code cells tagged ``tag``."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and tag in cell.metadata.get("tags", []):
            for output in cell.outputs:
                texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    assert texts, f"no output from the cell tagged {tag!r}"
    return "\n".join(texts)


def _has_image(notebook, tag: str) -> bool:
    return any("image/png" in output.get("data", {}) for cell in notebook.cells
               if tag in cell.metadata.get("tags", []) for output in cell.outputs)


def _check_tour(notebook) -> None:
    """01: the verdict beside the claims; trials one row per trial, readable dates, whole-number enrolment."""
    assert "conflicting (certainty low), from 3 studies, 188 participants" in _outputs(notebook, "verdict")
    trials = _outputs(notebook, "trials")
    assert "FINAL: naltrexone" in trials and "LDN for fibromyalgia pain (Copenhagen)" in trials
    assert "2023-12-05" in trials and "2022-12-27" in trials  # dates as the registry gives them
    assert "99.0" not in trials and "58.0" not in trials  # enrolment as whole numbers
    lines = [line for line in trials.splitlines() if "FINAL: naltrexone" in line]
    assert len(lines) == 1  # one row per trial


def _check_mechanisms(notebook) -> None:
    """02: a summary of the paths per condition; centrality over mechanism nodes."""
    summary = _outputs(notebook, "path_summary")
    assert "fibromyalgia" in summary and "rests_on" in summary and "shortest" in summary
    central = _outputs(notebook, "centrality")
    assert "betweenness" in central
    assert " condition " not in central and " drug " not in central  # mechanism nodes only


def _check_evidence(notebook) -> None:
    """03: the verdicts, fibromyalgia's studies with their numbers, the new map, primary records in full."""
    from ldngraph.explore.evidence_map import discrepancies
    from ldngraph.explore.network import to_networkx

    assert "fibromyalgia" in _outputs(notebook, "verdict_table")
    assert "conflicting, certainty low: 3 studies, 188 participants" in _outputs(notebook, "fibro_verdict")
    studies = _outputs(notebook, "fibro_studies")
    assert "FINAL: naltrexone 6 mg vs placebo" in studies and "LDN for fibromyalgia pain (Copenhagen)" in studies
    assert "mean difference -0.34 (95% CI -0.95 to 0.27); p=0.27" in studies
    assert "nct04270877" in _outputs(notebook, "evidence_table")
    assert _has_image(notebook, "map")
    printed = _outputs(notebook, "discrepancies")
    says = [text for text in discrepancies(to_networkx())["primary_says"] if text]
    assert says and all(f"the primary record says: {text}" in printed for text in says)  # in full


CHECKS = {"01-tour.ipynb": _check_tour, "02-mechanisms.ipynb": _check_mechanisms,
          "03-evidence.ipynb": _check_evidence}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(path, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        # a clean working directory: nothing may depend on where the notebook is opened
        resources={"metadata": {"path": str(tmp_path)}},
        allow_errors=False,
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    executed = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in executed)
    CHECKS[path.name](notebook)
