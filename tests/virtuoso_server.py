"""A real OpenLink Virtuoso 7 (Debian's virtuoso-opensource) for the tests, on 127.0.0.1, in a temporary folder.

:func:`start_virtuoso` writes a virtuoso.ini whose database, logs and both ports (SQL ``ServerPort`` and
HTTP ``ServerPort``) are in that folder and on the loopback interface, sets the dba password (Virtuoso
does that in a first run that exits), starts ``virtuoso-t +foreground``, waits until its /sparql endpoint
answers, and stops it (SIGTERM, then SIGKILL) when the ``with`` block ends.

The ini also lifts two defaults that would make answers silently incomplete: ``ResultSetMaxRows``
(10,000 rows at most) and ``MaxQueryExecutionTime`` (an "anytime" query returns what it found in 60 s).

    python tests/virtuoso_server.py       # start one by hand and print its URLs (Ctrl-C stops it)
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import stop_process

BINARY = shutil.which("virtuoso-t") or ""
MISSING = (
    "Virtuoso is not installed (`virtuoso-t` not on PATH): apt-get install virtuoso-opensource, "
    "or scripts/install-virtuoso.sh"
)

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
CheckpointInterval = 60
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4
MaxClientConnections = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Virtuoso:
    """A running test server."""

    base: str
    password: str
    folder: Path
    process: subprocess.Popen

    @property
    def sparql(self) -> str:
        """The SPARQL query endpoint (anonymous, read)."""
        return self.base + "/sparql"

    def log(self) -> str:
        """The end of the server's log, for failure messages."""
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_ini(folder: Path, *, buffers: int = 20000) -> tuple[Path, int]:
    """A virtuoso.ini keeping everything in ``folder`` and on 127.0.0.1; its path and HTTP port."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    sql_port = free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(folder=folder, sql_port=sql_port, http_port=http_port, buffers=buffers,
                               dirty=buffers * 3 // 4))
    return ini, http_port


def _wait_until_it_answers(base: str, process: subprocess.Popen, folder: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2) as answer:
                answer.read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                path = folder / "virtuoso.log"
                log = path.read_text(errors="replace")[-2000:] if path.exists() else ""
                raise RuntimeError(f"virtuoso-t did not start (exit {process.poll()}): {log}") from None
            time.sleep(0.2)


@contextlib.contextmanager
def start_virtuoso(folder: Path, *, password: str = "dba", buffers: int = 20000) -> Iterator[Virtuoso]:
    """Run a Virtuoso server in ``folder`` on 127.0.0.1 with the dba password ``password``."""
    if not BINARY:
        raise RuntimeError(MISSING)
    ini, http_port = write_ini(folder, buffers=buffers)
    if password != "dba":  # a first run creates the database, changes the password and exits
        subprocess.run([BINARY, "+configfile", str(ini), "+foreground", "+pwdold", "dba", "+pwddba", password],
                       cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180, check=True)
    with open(folder / "stdout.log", "wb") as out:
        process = subprocess.Popen([BINARY, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_it_answers(base, process, folder, 120)
        yield Virtuoso(base, password, folder, process)
    finally:
        stop_process(process, timeout=30)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ldngraph-virtuoso-") as tmp, start_virtuoso(Path(tmp)) as server:
        print(f"Virtuoso at {server.sparql} (dba/dba); Graph Store {server.base}/sparql-graph-crud-auth")
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()
