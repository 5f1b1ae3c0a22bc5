"""Run ``kgx validate`` on a KGX TSV folder with no network, and answer questions about the Biolink model.

Run by tests/test_kgx.py with the python of the separate kgx virtual environment (kgx's pins clash with
ldngraph's), never imported by the project:

    python validate_offline.py EXPORT_FOLDER QUESTIONS_JSON

kgx, as installed, downloads the Biolink model (bmt's default schema URL) and a Biolink JSON-LD context
(its config.yml) when it starts. Here both come from the ``biolink-model`` package instead: bmt's
Toolkit is pointed at the packaged ``biolink_model.yaml``, and kgx's JSON-LD context cache is filled
with the packaged Biolink prefix map. Every socket connection is refused and recorded, so a download
attempt shows up in ``network_attempts`` (and fails) instead of passing unnoticed.

The validation runs twice, through kgx's own ``kgx validate`` code (``kgx.cli.cli_utils.validate``):
once with Biolink's prefixes alone, once with the JSON-LD context(s) the export ships (``*.jsonld``)
added, which is how ldngraph declares its own ``ldnid`` prefix. The last line of output is
``KGX-SUMMARY {json}``.
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

ATTEMPTS: list[str] = []
ENUMS = ("KnowledgeLevelEnum", "AgentTypeEnum")


def _refuse(*args, **kwargs):
    ATTEMPTS.append(" ".join(repr(a) for a in args[1:3]) or repr(args))
    raise OSError("network use refused: kgx must run offline")


socket.socket.connect = _refuse  # type: ignore[method-assign]
socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
socket.create_connection = _refuse  # type: ignore[assignment]
socket.getaddrinfo = _refuse  # type: ignore[assignment]


def _biolink_prefixes() -> dict[str, str]:
    text = (files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text(encoding="utf-8")
    return json.loads(text)


def _offline_kgx() -> None:
    """Point bmt and kgx at the packaged Biolink model before kgx is imported (it builds a Toolkit on import)."""
    import bmt.toolkit

    schema = str(files("biolink_model") / "schema" / "biolink_model.yaml")
    # validation uses no predicate mapping; an empty one stands in for bmt's download of predicate_mapping.yaml
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    kgx.config.get_config()
    kgx.config.jsonld_context_map.update({"biolink": _biolink_prefixes(), "monarch_context": {}, "obo_context": {}})


def _validate(folder: Path, extra_context: dict[str, str]) -> dict:
    import kgx.config
    from kgx.cli.cli_utils import validate

    kgx.config.jsonld_context_map["biolink"] = {**_biolink_prefixes(), **extra_context}
    inputs = [str(p) for p in sorted(folder.glob("*.tsv"))]
    with tempfile.TemporaryDirectory() as tmp:
        return validate(inputs, "tsv", None, str(Path(tmp) / "report.json"))


def _term(toolkit, name: str) -> dict:
    element = toolkit.get_element(name) or toolkit.get_element(name.replace("_", " "))
    if element is None:
        return {"exists": False}
    spaced = element.name
    id_prefixes: list[str] = []
    for each in [spaced, *sorted(toolkit.get_descendants(spaced, formatted=False))]:
        for prefix in getattr(toolkit.get_element(each), "id_prefixes", None) or []:
            if prefix not in id_prefixes:
                id_prefixes.append(prefix)
    return {
        "exists": True,
        "name": spaced,
        "is_category": toolkit.is_category(spaced),
        "is_predicate": toolkit.is_predicate(spaced),
        "abstract": bool(getattr(element, "abstract", False)),
        "mixin": bool(getattr(element, "mixin", False)),
        "deprecated": bool(getattr(element, "deprecated", None)),
        "id_prefixes": id_prefixes,
    }


def main(folder: str, questions_file: str) -> int:
    """Validate ``folder`` twice and print the summary."""
    _offline_kgx()
    from bmt import Toolkit

    root = Path(folder)
    context: dict[str, str] = {}
    for path in sorted(root.glob("*.jsonld")):
        context.update(json.loads(path.read_text(encoding="utf-8"))["@context"])
    biolink_only = _validate(root, {})
    with_context = _validate(root, context)
    toolkit = Toolkit()
    questions = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    summary = {
        "versions": {name: version(name) for name in ("kgx", "bmt", "biolink-model", "linkml-runtime")},
        "model_version": toolkit.get_model_version(),
        "errors_biolink_context_only": biolink_only,
        "errors": with_context,
        "network_attempts": ATTEMPTS,
        "biolink_prefixes": sorted(_biolink_prefixes()),
        "enums": {name: sorted(toolkit.view.get_enum(name).permissible_values) for name in ENUMS},
        "terms": {name: _term(toolkit, name) for name in questions.get("terms", [])},
    }
    print("KGX-SUMMARY " + json.dumps(summary, default=str, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
