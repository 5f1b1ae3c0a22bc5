"""`ldngraph query --endpoint` against hostile or broken servers: answers are streamed and capped, a trickle
stops at the deadline, and no redirect is followed."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ldngraph.sparql.endpoint_store import EndpointStore
from ldngraph.sparql.store_interface import EndpointError


class Scripted(BaseHTTPRequestHandler):
    """Answers every POST with what the test set on the server as `behaviour`."""

    def log_message(self, *args):  # noqa: D102
        pass

    def do_POST(self):  # noqa: N802, D102
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.behaviour(self)


def endless_json(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    row = json.dumps({"x": {"type": "literal", "value": "y" * 1000}}).encode()
    try:
        for i in range(2_000_000):  # 2 GB if anybody read it all
            handler.wfile.write((b"," if i else b"") + row)
    except OSError:
        handler.server.hung_up.set()


def trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    try:
        for byte in b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}':
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        handler.server.hung_up.set()


def redirect_to(target):
    def behaviour(handler):
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return behaviour


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    httpd.daemon_threads = True
    httpd.hung_up = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    httpd.shutdown()
    httpd.server_close()


def test_a_limit_stops_the_download_of_an_endless_answer(server):
    httpd, url = server
    httpd.behaviour = endless_json
    started = time.monotonic()
    result = EndpointStore(url).execute("SELECT ?x WHERE { ?s ?p ?x }", max_rows=5)
    assert len(result.rows) == 5 and result.truncated
    assert time.monotonic() - started < 30
    assert httpd.hung_up.wait(10), "the client kept reading"


def test_an_answer_over_the_byte_cap_is_stopped_with_one_line(server):
    httpd, url = server
    httpd.behaviour = endless_json
    with pytest.raises(EndpointError, match=r"answer over 2,000,000 bytes"):
        EndpointStore(url, max_bytes=2_000_000).execute("SELECT ?x WHERE { ?s ?p ?x }")


def test_a_trickling_server_is_stopped_at_the_deadline(server):
    httpd, url = server
    httpd.behaviour = trickle
    started = time.monotonic()
    with pytest.raises(EndpointError, match="deadline"):
        EndpointStore(url, timeout=5, deadline=2).execute("SELECT ?x WHERE { ?s ?p ?x }")
    assert time.monotonic() - started < 10


def test_redirects_are_reported_not_followed_and_the_target_sees_nothing(server):
    httpd, url = server
    target = socket.socket()
    target.bind(("127.0.0.1", 0))
    target.listen(4)
    target.settimeout(0.5)
    port = target.getsockname()[1]
    try:
        for location in (f"http://127.0.0.1:{port}/sparql", f"ftp://127.0.0.1:{port}/x"):
            httpd.behaviour = redirect_to(location)
            done = subprocess.run([sys.executable, "-m", "ldngraph", "query", "ASK {}", "--endpoint", url],
                                  capture_output=True, text=True, timeout=60)
            assert done.returncode == 1, done.stderr
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1 and "redirects (HTTP 302)" in lines[0] and location in lines[0], done.stderr
        with pytest.raises(TimeoutError):
            target.accept()
    finally:
        target.close()
