"""A real Virtuoso 7: `ldngraph push` loads it (credentials, digest), and every named query answers there
exactly as on the embedded store (docs/decisions/0011). Skipped when Virtuoso is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from virtuoso_server import BINARY, MISSING, start_virtuoso

from helpers import same_value
from ldngraph.sparql.named_queries import list_queries
from ldngraph.sparql.query import run_query
from ldngraph.sparql.store import EndpointStore, OxigraphStore, open_store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not BINARY, reason=MISSING)]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Pw-0f-the-test-dba"
#: The parameters of the README and docs/sparql.md examples, and the conditions of the issue (#Virtuoso).
CASES = {
    "condition": ["fibromyalgia", "Crohn's disease", "multiple sclerosis", "crps"],
    "source": ["003_31158820d64b0034", "is low dose naltrexone helpful?"],
}
SYNTHETIC_GRAPH = "https://w3id.org/ldngraph/graph/test-synthetic"


def ldngraph(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "LDNGRAPH_PASSWORD"}
    environment["NETRC"] = "/nonexistent/netrc"  # never the user's own ~/.netrc
    return subprocess.run([sys.executable, "-m", "ldngraph", *args], capture_output=True, text=True,
                          timeout=timeout, env={**environment, **(env or {})}, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with start_virtuoso(tmp_path_factory.mktemp("virtuoso"), password=PASSWORD) as server:
        yield server


@pytest.fixture(scope="module")
def pushed(virtuoso):
    """The curated graph pushed with `ldngraph push --user dba` (password from the environment)."""
    done = ldngraph("push", "--endpoint", virtuoso.sparql, "--user", "dba", env={"LDNGRAPH_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr + virtuoso.log()
    return done


def sorted_rows(store, name: str, params: dict[str, str]) -> list[tuple[str, ...]]:
    return sorted(tuple(same_value(term) for term in row) for row in run_query(store, name, params).rows)


def parameter_sets(named) -> list[dict[str, str]]:
    if not named.params:
        return [{}]
    (param,) = named.params
    return [{param.name: value} for value in CASES[param.name]]


def test_push_with_a_password_from_the_environment_never_shows_it(virtuoso, pushed):
    assert PASSWORD not in pushed.stdout + pushed.stderr
    assert "/sparql-graph-crud-auth" in pushed.stdout and "HTTP 20" in pushed.stdout
    remote = EndpointStore(virtuoso.sparql)
    assert remote.triple_count() == open_store("memory").triple_count()


def test_every_named_query_answers_on_virtuoso_as_on_the_embedded_store(virtuoso, pushed):
    local, remote = open_store("memory"), EndpointStore(virtuoso.sparql, timeout=300)
    different, answered = [], 0
    for named in list_queries():
        for params in parameter_sets(named):
            embedded, there = sorted_rows(local, named.name, params), sorted_rows(remote, named.name, params)
            answered += bool(embedded)
            if embedded != there:
                different.append(f"{named.name} {params}: embedded {len(embedded)} rows, Virtuoso {len(there)}")
    assert not different, "\n".join(different)
    assert answered >= 12


def test_named_queries_agree_with_virtuoso_on_a_synthetic_graph(virtuoso):
    """The benchmark's synthetic graph has what the curated one lacks: 4-hop paths, contested study groups."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_sparql import PARAMS, generate

    from ldngraph.sparql.credentials import Credentials
    from ldngraph.sparql.push import push

    data = (ROOT / "build" / "ldngraph.nt").read_bytes() + generate(4000, seed=3).encode()
    result = push(virtuoso.sparql, graph=SYNTHETIC_GRAPH, data=data, batch=2000,
                  credentials=Credentials("dba", PASSWORD))
    assert result.requests > 1  # PUT then POSTs
    local = OxigraphStore()
    local.load_bytes(data)
    remote = EndpointStore(virtuoso.sparql, default_graph=SYNTHETIC_GRAPH, timeout=300)
    assert remote.triple_count() == local.triple_count()
    cases = [(named.name, {p.name: PARAMS[p.name] for p in named.params}) for named in list_queries()]
    cases += [("mechanism-paths", {"condition": f"syn-condition-{k}"}) for k in range(8)]
    different = [f"{name} {params}" for name, params in cases
                 if sorted_rows(local, name, params) != sorted_rows(remote, name, params)]
    assert not different, different
    assert sum(bool(sorted_rows(local, "mechanism-paths", {"condition": f"syn-condition-{k}"})) for k in range(8))


def test_a_wrong_password_is_one_line_saying_401(virtuoso):
    done = ldngraph("push", "--endpoint", virtuoso.sparql, "--user", "dba", env={"LDNGRAPH_PASSWORD": "not-it-9z"})
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "401" in errors[0] and "'dba'" in errors[0], done.stderr
    assert "not-it-9z" not in done.stdout + done.stderr


def test_a_password_in_the_url_works_and_is_never_shown(virtuoso, pushed):
    url = virtuoso.sparql.replace("http://", f"http://dba:{PASSWORD}@")
    done = ldngraph("push", "--endpoint", url)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr and "dba:" not in done.stdout + done.stderr
    wrong = ldngraph("push", "--endpoint", url.replace(PASSWORD, "wr%40ng-pw"))
    assert wrong.returncode == 1 and "401" in wrong.stderr
    assert "wr%40ng-pw" not in wrong.stderr and "wr@ng-pw" not in wrong.stderr


def test_a_netrc_entry_gives_user_and_password(virtuoso, pushed, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login dba password {PASSWORD}\n")
    netrc.chmod(0o600)
    done = ldngraph("push", "--endpoint", virtuoso.sparql, env={"NETRC": str(netrc)})
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr


def test_without_credentials_virtuoso_refuses_in_one_line(virtuoso):
    done = ldngraph("push", "--endpoint", virtuoso.sparql)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "403" in errors[0] and "--user" in errors[0], done.stderr


def test_a_url_with_no_graph_store_says_how_to_fix_it_or_falls_back_to_update(virtuoso, pushed):
    store = virtuoso.base + "/store"  # what push derived before: Virtuoso answers an empty 501
    env = {"LDNGRAPH_PASSWORD": PASSWORD}
    done = ldngraph("push", "-e", virtuoso.sparql, "--user", "dba", "--store-url", store, env=env)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "501" in errors[0] and "--store-url" in errors[0], done.stderr
    done = ldngraph("push", "-e", virtuoso.sparql, "--user", "dba", "--store-url", store,
                    "--update-url", virtuoso.base + "/sparql-auth", env=env)
    assert done.returncode == 0, done.stderr
    assert "SPARQL Update" in done.stdout and PASSWORD not in done.stdout + done.stderr
    local, remote = open_store("memory"), EndpointStore(virtuoso.sparql)
    assert remote.triple_count() == local.triple_count()  # DROP then INSERT DATA: replaced, not added
    assert sorted_rows(remote, "evidence-for-condition", {"condition": "fibromyalgia"}) == sorted_rows(
        local, "evidence-for-condition", {"condition": "fibromyalgia"})
