"""Hostile files in the graph folder: YAML bombs, devices, FIFOs, links leaving the folder, floods of lines.

Each gives a located one-line problem and a non-zero exit, quickly and in bounded memory; nothing from
outside the graph folder is ever echoed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import make_graph_dir
from ldngraph.curation.metagraph import MetagraphError, load_metagraph
from ldngraph.curation.records import MAX_PROBLEMS_PER_CODE, load_records

ALIAS_BOMB = "\n".join(
    ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    + ["predicates: *a9", ""]
)


def validate_cli(graph: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`ldngraph validate` on a folder, with its peak memory bounded to 1 GB so a bomb fails the test fast."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))

    return subprocess.run([sys.executable, "-m", "ldngraph", "validate", "-g", str(graph), "--no-shacl"],
                          capture_output=True, text=True, timeout=timeout, preexec_fn=cap)


def test_a_yaml_alias_bomb_is_refused_at_its_first_alias(tmp_path):
    graph = make_graph_dir(tmp_path)
    (graph / "metagraph.yaml").write_text(ALIAS_BOMB)
    with pytest.raises(MetagraphError, match=r"metagraph.yaml:2: .*aliases"):
        load_metagraph(graph)
    done = validate_cli(graph)
    assert done.returncode == 1 and "aliases" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len((done.stdout + done.stderr).encode()) < 5000


def test_deeply_nested_yaml_is_a_located_error_not_a_traceback(tmp_path):
    graph = make_graph_dir(tmp_path)
    (graph / "metagraph.yaml").write_text("predicates: " + "[" * 1100 + "]" * 1100 + "\n")
    with pytest.raises(MetagraphError, match=r"metagraph.yaml:1: .*nested more than"):
        load_metagraph(graph)
    done = validate_cli(graph)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_duplicate_yaml_keys_are_refused_with_their_line(tmp_path):
    graph = make_graph_dir(tmp_path)
    text = (graph / "metagraph.yaml").read_text()
    first = next(line for line in text.splitlines() if line.startswith("  ") and line.strip().endswith(":"))
    (graph / "metagraph.yaml").write_text(text.replace(first, first + "\n    layer: context\n" + first, 1))
    with pytest.raises(MetagraphError, match=r"duplicate key"):
        load_metagraph(graph)


def problems_of(graph: Path) -> list:
    _, report = load_records(graph)
    return report.problems


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_record_file_linked_to_a_device_is_refused_without_reading(tmp_path):
    graph = make_graph_dir(tmp_path)
    target = graph / "records" / "conditions.tsv"
    target.unlink()
    target.symlink_to("/dev/zero")
    codes = {(p.file, p.code) for p in problems_of(graph)}
    assert ("graph/records/conditions.tsv", "outside-folder") in codes
    done = validate_cli(graph, timeout=30)
    assert done.returncode == 1 and "outside" in done.stdout


def test_a_fifo_record_file_is_refused_not_waited_on(tmp_path):
    graph = make_graph_dir(tmp_path)
    target = graph / "records" / "conditions.tsv"
    target.unlink()
    os.mkfifo(target)
    assert "not-a-regular-file" in {p.code for p in problems_of(graph)}
    done = validate_cli(graph, timeout=30)
    assert done.returncode == 1 and "not a regular file" in done.stdout


def test_a_link_to_a_secret_outside_the_folder_never_echoes_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2-very-secret\tx\n")
    graph = make_graph_dir(tmp_path)
    target = graph / "records" / "conditions.tsv"
    target.unlink()
    target.symlink_to(secret)
    done = validate_cli(graph)
    assert done.returncode == 1 and "outside" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr


def test_a_link_inside_the_graph_folder_is_read(tmp_path):
    graph = make_graph_dir(tmp_path)
    target = graph / "records" / "conditions.tsv"
    (graph / "conditions-real.tsv").write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(graph / "conditions-real.tsv")
    assert not [p for p in problems_of(graph) if p.file.endswith("conditions.tsv")]


def test_files_of_blank_lines_are_refused_in_bounded_memory(tmp_path):
    """Four record files of 4.9 MB of newlines took validate past 6 GB; now a capped report in little memory."""
    graph = make_graph_dir(tmp_path)
    for name in ("conditions.tsv", "drugs.tsv", "sources.tsv", "claims.tsv"):
        path = graph / "records" / name
        path.write_bytes(path.read_bytes() + b"\n" * 4_900_000)
    done = validate_cli(graph, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "too-many-lines" in done.stdout
    header, _, _ = (graph / "records" / "conditions.tsv").read_text().partition("\n")
    few = graph / "records" / "drugs.tsv"
    few.write_text(few.read_text().rstrip("\n") + "\n" + "\n" * 500 + "x\n")
    blank = [p for p in problems_of(graph) if p.file.endswith("drugs.tsv") and p.code == "blank-line"]
    assert len(blank) == MAX_PROBLEMS_PER_CODE + 1 and "500 more" not in blank[-1].message
    assert blank[-1].message.startswith("... and 480 more")


@pytest.mark.parametrize("args, expected", [
    (["-p", "condition", b"\xff\xfe"], "-p condition: the value '\\xff\\xfe' is not valid text"),
    (["-p", b"\xffname", "x"], "-p '\\xffname': a parameter name is"),
    (["-p", "bad name", "x"], "-p 'bad name': a parameter name is"),
    (["-p", "1x=2"], "-p '1x': a parameter name is"),
])
def test_bad_parameter_names_and_values_are_one_line_errors(args, expected):
    command = [sys.executable.encode(), b"-m", b"ldngraph", b"query", b"evidence-for-condition"]
    command += [a if isinstance(a, bytes) else a.encode() for a in args]
    done = subprocess.run(command, capture_output=True, timeout=60)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {expected}"), stderr
