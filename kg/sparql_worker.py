"""A query worker: one process that runs SPARQL queries for ``kg serve`` and can be killed.

pyoxigraph has no query timeout, so the server runs every query in a worker process of
its own and kills it when the time is up (see ``kg.sparql_http.WorkerPool``). The worker
reads one request at a time on stdin and writes framed results on stdout:

* request: a 4-byte big-endian length, then JSON ``{"op", "store", "query", ...}``;
* reply frames: one type byte, a 4-byte length, a payload —
  ``H`` JSON head ``{"status", "media_type"}``, ``D`` result bytes, ``Z`` JSON tail
  ``{"rows", "cpu"}`` (success), ``E`` JSON ``{"status", "message", "cpu"}`` (failure,
  before or after ``D`` frames). ``cpu`` is the process's CPU seconds so far.

Results are serialised by Oxigraph itself (fast), streamed in ~64 KiB frames; rows are
counted on the serialised bytes so the row cap costs no Python loop per row. This module
imports nothing heavier than pyoxigraph so a replacement worker starts quickly.
"""

from __future__ import annotations

import functools
import json
import os
import struct
import sys
import time
from typing import BinaryIO

import pyoxigraph as ox

from .query import PREFIXES

FRAME_BYTES = 64 * 1024
HEAD = struct.Struct(">cI")
LENGTH = struct.Struct(">I")

# Media types we answer with, best first; aliases map a requested type to one of them.
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  "application/xml": "application/sparql-results+xml",
                  "text/xml": "application/sparql-results+xml"}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
GRAPH_ALIASES = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples",
                 "application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml"}
# ?format= values a browser link can use instead of an Accept header.
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in header order.

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('text/csv', 0.5), ('application/json', 1.0)]
    """
    ranges = []
    for part in (header or "*/*").split(","):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for param in bits[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((bits[0].lower(), q))
    return ranges


def negotiate(accept: str | None, offers: list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The offer the client accepts most (server order breaks ties), or None.

    >>> negotiate("text/csv, */*;q=0.1", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("image/png", ["text/turtle"]) is None
    True
    """
    aliases = aliases or {}
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q, specificity = 0.0, -1
        for media, mq in ranges:
            target = aliases.get(media, media)
            if target == offer:
                level = 3 if media == offer else 2
            elif media.endswith("/*") and offer.startswith(media[:-1]):
                level = 1
            elif media == "*/*":
                level = 0
            else:
                continue
            if level > specificity:
                q, specificity = mq, level
            elif level == specificity:
                q = max(q, mq)
        if q > best_q:
            best, best_q = offer, q
    return best


@functools.lru_cache(maxsize=256)
def _result_media_type(accept: str | None, graph: bool) -> str | None:
    # Clients send the same few Accept headers over and over.
    if graph:
        return negotiate(accept, list(GRAPH_TYPES), GRAPH_ALIASES)
    return negotiate(accept, list(RESULT_TYPES), RESULT_ALIASES)


class RowLimitExceeded(Exception):
    pass


class FrameWriter:
    """A binary file for Oxigraph's serialisers: frames what they write, counts rows."""

    def __init__(self, out: BinaryIO, media_type: str | None, max_rows: int) -> None:
        self.out = out
        self.buf = bytearray()
        self.rows = 0
        self.max_rows = max_rows
        self.tail = b""
        # A byte pattern that starts each solution in the serialisation (see _count).
        self.patterns: tuple[bytes, ...] = {
            "application/sparql-results+json": (b'"bindings":[{', b'},{"', b'},{}'),
            "application/sparql-results+xml": (b"<result>", b"<result/>"),
            "text/csv": (b"\r\n",),
            "text/tab-separated-values": (b"\n",),
        }.get(media_type or "", ())

    def write(self, data: bytes) -> int:
        if self.patterns:
            self._count(bytes(data))
        self.buf += data
        if len(self.buf) >= FRAME_BYTES:
            self.flush()
        return len(data)

    def _count(self, data: bytes) -> None:
        # Oxigraph escapes quotes in JSON strings and '<' in XML text, so these patterns
        # only occur between solutions; a CSV literal holding CRLF can only over-count
        # (the cap then trips early), never let more rows through. CSV/TSV headers count
        # one line, hence the cap check against rows - 1.
        window = self.tail + data
        self.rows += sum(window.count(p) for p in self.patterns) - sum(self.tail.count(p) for p in self.patterns)
        self.tail = window[-12:]
        header_lines = 1 if len(self.patterns) == 1 else 0
        if self.rows - header_lines > self.max_rows:
            raise RowLimitExceeded

    def flush(self, *, last: bool = False) -> None:
        if self.buf:
            # The last frame waits for the tail frame, so a small result costs one write.
            send(self.out, b"D", bytes(self.buf), flush=not last)
            self.buf.clear()

    def solutions(self) -> int:
        return self.rows - (1 if len(self.patterns) == 1 else 0)


def send(out: BinaryIO, kind: bytes, payload: bytes, *, flush: bool = True) -> None:
    out.write(HEAD.pack(kind, len(payload)))
    out.write(payload)
    if flush:
        out.flush()


def send_json(out: BinaryIO, kind: bytes, obj: dict) -> None:
    if kind in (b"Z", b"E"):
        # The process's CPU seconds so far, as each request ends: the server measures
        # what a query cost by it (kg.sparql_pool).
        obj = {**obj, "cpu": time.process_time()}
    # The head is held back: with a small result it goes in one write with the rest.
    send(out, kind, json.dumps(obj, ensure_ascii=False).encode(), flush=kind != b"H")


class Worker:
    """Keeps the current store version open and answers requests."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.path: str | None = None
        self.store: ox.Store | None = None

    def open(self, path: str) -> ox.Store:
        # The server sends the version directory the store symlink points at *now*,
        # so a rebuild is picked up on the next query without a restart.
        if path != self.path or self.store is None:
            self.store = None
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store

    def handle(self, request: dict) -> None:
        try:
            store = self.open(request["store"])
        except OSError as exc:
            return send_json(self.out, b"E", {"status": 503, "message": f"cannot open the store: {exc}"})
        if request.get("op") == "dump":
            return self.dump(store, request)
        return self.query(store, request)

    def query(self, store: ox.Store, request: dict) -> None:
        options: dict = {"prefixes": PREFIXES}
        if request.get("default_graph") is not None or request.get("named_graphs") is not None:
            # The protocol's dataset overrides the query's FROM / FROM NAMED.
            options["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graph") or []]
            options["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
        elif request.get("union", True):
            # No dataset given anywhere: the default graph is the union of the document graphs.
            options["use_default_graph_as_union"] = True
        try:
            results = store.query(request["query"], **options)
        except SyntaxError as exc:
            return send_json(self.out, b"E", {"status": 400, "message": f"bad SPARQL query: {exc}"})
        except (OSError, ValueError) as exc:
            return send_json(self.out, b"E", {"status": 400, "message": str(exc)})
        graph = isinstance(results, ox.QueryTriples)
        offers = list(GRAPH_TYPES if graph else RESULT_TYPES)
        media_type = _result_media_type(request.get("accept"), graph)
        if media_type is None:
            kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
            return send_json(self.out, b"E", {"status": 406, "message":
                             f"cannot answer a {kind} query as {request.get('accept')}; "
                             f"choose one of {', '.join(offers)}"})
        max_rows = int(request.get("max_rows") or 0) or 2**62
        writer = FrameWriter(self.out, None if graph else media_type, max_rows)
        send_json(self.out, b"H", {"status": 200, "media_type": media_type})
        try:
            if graph:
                triples = []
                for triple in results:
                    triples.append(triple)
                    if len(triples) > max_rows:
                        raise RowLimitExceeded
                prefixes = PREFIXES if GRAPH_TYPES[media_type] in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
                ox.serialize(triples, writer, GRAPH_TYPES[media_type], prefixes=prefixes)
                rows = len(triples)
            else:
                results.serialize(writer, RESULT_TYPES[media_type])
                rows = writer.solutions()
            writer.flush(last=True)
        except RowLimitExceeded:
            return send_json(self.out, b"E", {"status": 422, "message":
                             f"the result has more than {max_rows} rows; add a LIMIT "
                             "(or start kg serve with a larger --max-rows)"})
        except OSError as exc:
            return send_json(self.out, b"E", {"status": 500, "message": f"query failed: {exc}"})
        send_json(self.out, b"Z", {"rows": rows})

    def dump(self, store: ox.Store, request: dict) -> None:
        fmt = ox.RdfFormat.from_media_type(request["media_type"])
        if fmt is None:
            return send_json(self.out, b"E", {"status": 406, "message": f"no dump as {request['media_type']}"})
        send_json(self.out, b"H", {"status": 200, "media_type": request["media_type"]})
        writer = FrameWriter(self.out, None, 0)
        try:
            store.dump(writer, fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
            writer.flush(last=True)
        except OSError as exc:
            return send_json(self.out, b"E", {"status": 500, "message": f"dump failed: {exc}"})
        send_json(self.out, b"Z", {"rows": 0})


def main() -> None:
    # Keep stdout for frames only: anything a library prints goes to stderr.
    # Big enough for a small result's frames to leave in one write.
    out = os.fdopen(os.dup(1), "wb", buffering=4 * FRAME_BYTES)
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    worker = Worker(out)
    send_json(out, b"Z", {"ready": True})
    while True:
        head = inp.read(LENGTH.size)
        if len(head) < LENGTH.size:
            return
        (length,) = LENGTH.unpack(head)
        worker.handle(json.loads(inp.read(length)))


if __name__ == "__main__":
    main()
