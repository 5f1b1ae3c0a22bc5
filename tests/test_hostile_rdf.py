"""RDF from users cannot hurt: entity bombs, external entities and remote JSON-LD contexts in `--with` files
end within seconds with one line and a non-zero exit, and nothing is fetched."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from ldngraph.rdf.user_files import UnsafeRdf, check_user_rdf

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol8;</ex:p></rdf:Description>
</rdf:RDF>
"""
OWL_STYLE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY ex "http://example.org/" >
 <!ENTITY rdf "http://www.w3.org/1999/02/22-rdf-syntax-ns#" >
]>
<rdf:RDF xmlns:rdf="&rdf;" xmlns:ex="&ex;">
 <rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&ex;b"/></rdf:Description>
</rdf:RDF>
"""


class Listener:
    """A loopback listener that counts connections."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.hits = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture()
def listener():
    spy = Listener()
    yield spy
    spy.close()


def ldngraph(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldngraph", *args], capture_output=True, text=True, timeout=timeout)


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and lines and words in lines[-1], done.stderr
    assert len([line for line in lines if line.startswith("error:")]) == 1


@pytest.mark.parametrize("store", ["memory", "rdflib"])
def test_billion_laughs_through_query_with_ends_at_once(tmp_path, store):
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(LAUGHS)
    started = time.monotonic()
    done = ldngraph("query", "ASK { ?s ?p ?o }", "--with", str(bomb), "--store", store)
    assert_one_line_refusal(done, "refers to another entity")
    assert time.monotonic() - started < 30


def test_billion_laughs_in_utf16_is_seen_too(tmp_path):
    bomb = tmp_path / "laughs16.rdf"
    bomb.write_bytes(LAUGHS.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
                     .encode("utf-16"))
    with pytest.raises(UnsafeRdf, match="refers to another entity"):
        check_user_rdf(bomb, "RDF_XML")


def test_plain_entities_as_owl_files_use_them_still_load(tmp_path):
    owl = tmp_path / "ontology.owl"
    owl.write_text(OWL_STYLE)
    check_user_rdf(owl, "RDF_XML")
    done = ldngraph("query", "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/b> }",
                    "--with", str(owl), "-f", "json")
    assert done.returncode == 0 and '"boolean": true' in done.stdout, done.stderr


def test_external_entities_are_refused_and_never_read(tmp_path, listener):
    for target in (listener.url + "e.txt", "file:///etc/hostname"):
        doc = tmp_path / "external.rdf"
        doc.write_text(OWL_STYLE.replace('<!ENTITY ex "http://example.org/" >', f'<!ENTITY x SYSTEM "{target}">'))
        done = ldngraph("query", "ASK {}", "--with", str(doc))
        assert_one_line_refusal(done, "external entity &x; refused")
    assert listener.hits == 0


def test_remote_jsonld_contexts_are_refused_and_never_fetched(tmp_path, listener):
    for context in (f'"{listener.url}ctx.jsonld"', '"file:///etc/hostname"', f'[{{"@import": "{listener.url}i"}}]',
                    f'[{{"ex": "http://example.org/"}}, "{listener.url}second"]'):
        doc = tmp_path / "remote.jsonld"
        doc.write_text('{"@context": ' + context + ', "@id": "http://example.org/a", "http://example.org/p": "x"}')
        for store in ("memory", "rdflib"):
            done = ldngraph("query", "ASK {}", "--with", str(doc), "--store", store)
            assert_one_line_refusal(done, "never fetches")
    time.sleep(0.3)
    assert listener.hits == 0


def test_inline_jsonld_contexts_load(tmp_path):
    doc = tmp_path / "inline.jsonld"
    doc.write_text('{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": {"@id": "ex:b"}}')
    done = ldngraph("query", "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/b> }",
                    "--with", str(doc), "--store", "rdflib", "-f", "json")
    assert done.returncode == 0 and '"boolean": true' in done.stdout, done.stderr


def test_a_gzip_bomb_and_a_truncated_gzip_are_one_line_errors(tmp_path):
    import gzip

    bomb = tmp_path / "bomb.ttl.gz"
    bomb.write_bytes(gzip.compress(b"#" * 40_000_000))
    assert_one_line_refusal(ldngraph("query", "ASK {}", "--with", str(bomb)), "cannot load")
    whole = gzip.compress(b"<http://e/a> <http://e/b> <http://e/c> .\n" * 2000)
    cut = tmp_path / "cut.ttl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    for store in ("memory", "rdflib"):
        assert_one_line_refusal(ldngraph("query", "ASK {}", "--with", str(cut), "--store", store),
                                "not a complete gzip file")




def test_viz_with_refuses_the_same_files(tmp_path, listener):
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(LAUGHS)
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "' + listener.url + 'c", "@id": "http://example.org/a"}')
    for path, words in ((bomb, "refers to another entity"), (remote, "never fetches")):
        started = time.monotonic()
        done = ldngraph("viz", "-o", str(tmp_path / "page.html"), "--with", str(path))
        assert_one_line_refusal(done, words)
        assert time.monotonic() - started < 60
    assert not (tmp_path / "page.html").exists()
    assert listener.hits == 0
