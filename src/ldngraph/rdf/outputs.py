"""The files a build writes and how a reader knows they are one complete build (no rdflib: fast to import)."""

from __future__ import annotations

import json
from pathlib import Path

#: format -> (rdflib serializer name, file name)
FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "ldngraph.ttl"),
    "nt": ("nt", "ldngraph.nt"),
    "jsonld": ("json-ld", "ldngraph.jsonld"),
}
MANIFEST = "manifest.json"


def complete_output(out_dir: Path, fmt: str) -> Path | None:
    """The built file of one format when the manifest vouches for it (same size as written), else None.

    None means the build is missing, was interrupted, or was changed by hand: build again.
    """
    target = Path(out_dir) / FORMATS[fmt][1]
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
        expected = manifest["sizes"][target.name]
        return target if target.stat().st_size == expected else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
