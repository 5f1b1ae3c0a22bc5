"""Content negotiation for the endpoint: which result format answers an Accept header, and its media type.

Also the endpoint's SPARQL 1.1 Service Description.
ASK results have no CSV or TSV form in the SPARQL 1.1 CSV/TSV specification, so an ASK that can only be
answered in those gets 406 listing what it can be answered in (decision 0010).
"""

from __future__ import annotations

import re

SELECT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "xml",
}
CONTENT_TYPES = {
    ("select", "json"): "application/sparql-results+json",
    ("select", "xml"): "application/sparql-results+xml",
    ("select", "csv"): "text/csv; charset=utf-8",
    ("select", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "ntriples"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml",
}
#: Values of the non-standard ``format`` parameter that some clients send (SPARQLWrapper, YASGUI).
FORMAT_PARAMS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf+xml": "application/rdf+xml",
}
#: ASK results: JSON and XML only.
ASK_TYPES: dict[str, str] = {media: fmt for media, fmt in SELECT_TYPES.items() if fmt in ("json", "xml")}
TEXT = "text/plain; charset=utf-8"


def _ranked(accept: str) -> list[str]:
    """The media ranges of an Accept header, most wanted first (q=0 left out)."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, position, media.lower()))
    return [media for _q, _pos, media in sorted(choices)]


def negotiate(accept: str, kind: str) -> str | None:
    """The output format for an Accept header and a result kind (select, ask or graph); None if none fits."""
    table = GRAPH_TYPES if kind == "graph" else ASK_TYPES if kind == "ask" else SELECT_TYPES
    default = "turtle" if kind == "graph" else "json"
    if not accept.strip():
        return default
    for media in _ranked(accept):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def offered(kind: str) -> str:
    """The media types a result kind can be answered in, for a 406 message."""
    table = GRAPH_TYPES if kind == "graph" else ASK_TYPES if kind == "ask" else SELECT_TYPES
    return ", ".join(CONTENT_TYPES[("graph" if kind == "graph" else "select", fmt)].split(";")[0]
                     for fmt in dict.fromkeys(table.values()))


_TURTLE = ("text/turtle", "application/x-turtle")
_HINT = ("text/plain", "text/html", "application/xhtml+xml")


def wants_description(accept: str) -> bool:
    """True when an Accept header names Turtle before plain text or HTML (a wildcard does not count)."""
    for media in _ranked(accept):
        if media in _TURTLE:
            return True
        if media in _HINT:
            return False
    return False


_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "RDF_XML")


def endpoint_url(host_header: str | None, fallback: str, path: str) -> str:
    """The endpoint's URL as the client addressed it (Host header, when it is a plain host[:port])."""
    host = host_header.strip() if host_header and _HOST.fullmatch(host_header.strip()) else fallback
    return f"http://{host}{path}"


def service_description(endpoint: str, graph: str, triples: int | None) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle.

    A read-only SPARQL 1.1 Query service whose default dataset is one graph (no update language, no
    ``sd:feature``).
    """
    formats = ", ".join(f"formats:{name}" for name in _FORMATS)
    size = f" ;\n    void:triples {triples}" if triples is not None else ""
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix formats: <http://www.w3.org/ns/formats/> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n\n"
        f"<{endpoint}#service> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint}> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        f"    sd:resultFormat {formats} ;\n"
        "    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph <" + graph + "> ] .\n\n"
        f"<{graph}> a sd:Graph{size} .\n"
    )
