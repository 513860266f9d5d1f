"""The SPARQL 1.1 Protocol over a pool of killable query workers.

Every query runs in a worker process (``kg.sparql_worker``); the HTTP side only parses
requests, picks a worker and relays its frames. That is what makes the limits hold:

* a query that runs past ``timeout`` has its worker killed (and replaced), whatever it
  was doing — planning, evaluating, or streaming a huge result;
* at most ``max_concurrent`` queries run at once (one per worker); more wait for a free
  worker, then get 503; under load, heavy queries give way to others (the policy is in
  ``kg.sparql_pool``), so quick ones still get answers;
* results are buffered up to ``BUFFER_BYTES`` before the status line is sent, so most
  errors (timeout, row cap) arrive as a proper HTTP error. A larger result is streamed;
  if it fails after that, the connection is cut before the final chunk, so no client
  mistakes the cut for a short valid result.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .sparql_pool import QueryWorker, WorkerDied, WorkerPool

log = logging.getLogger("kg.server")

BUFFER_BYTES = 256 * 1024
MAX_BODY_BYTES = 1024 * 1024

# Strings, IRIs and comments, blanked out before looking for keywords in a query.
_LEXICAL = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>' r"|#[^\n]*",
    re.S,
)
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.I)
_FROM = re.compile(r"(?<![\w:?$.-])FROM(?![\w:-])", re.I)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*", re.I)
# Every keyword check_query looks for, searched in the lowercased raw query first: far
# cheaper than scrubbing, and lowercasing never hides an ASCII keyword.
_KEYWORDS = ("service", "from", "insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with")
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:-])", re.I)


def scrub(query: str) -> str:
    """The query with strings, IRIs and comments blanked, so keywords can be searched.

    >>> scrub('SELECT * { ?s <http://x/SERVICE> "SERVICE" } # SERVICE').split()
    ['SELECT', '*', '{', '?s', '}']
    """
    return _LEXICAL.sub(" ", query)


def uses_service(scrubbed: str) -> bool:
    """Whether a (scrubbed) query has a SERVICE clause; errs on the side of yes.

    >>> uses_service(scrub("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }"))
    True
    >>> uses_service(scrub("SELECT ?service { ?service ex:SERVICE 'SERVICE' }"))
    False
    """
    return bool(_SERVICE.search(scrubbed))


def is_update(scrubbed: str) -> bool:
    """Whether a (scrubbed) request is a SPARQL Update rather than a query.

    >>> is_update(scrub("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }"))
    True
    >>> is_update(scrub("SELECT * { ?s ?p ?o }"))
    False
    """
    return bool(_UPDATE.match(scrubbed, _PROLOGUE.match(scrubbed).end()))


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers)


def _with_charset(media_type: str) -> str:
    return media_type + "; charset=utf-8" if media_type.startswith("text/") else media_type


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    max_rows: int = 100_000
    allow_service: bool = False


@dataclass
class Outcome:
    """What a worker said about a request, once buffered."""

    status: int
    media_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    message: str = ""


def cost_key(request: dict) -> str:
    """What the pool remembers a query's cost by: what it asks of which data, not the
    media type of its answer.

    >>> cost_key({"op": "query", "query": "ASK {}", "accept": "text/csv"}) == cost_key({"op": "query", "query": "ASK {}"})
    True
    """
    return "\0".join(str(request.get(k, "")) for k in ("op", "query", "default_graph", "named_graphs", "union",
                                                         "media_type", "max_rows"))


async def run_in_worker(pool: WorkerPool, request: dict, *, timeout: float,
                        headers: dict[str, str] | None = None) -> Response:
    """Run one request in a worker; a buffered response, or a streaming one for big results.

    It waits at most ``timeout`` seconds for a worker (else 503), then may run for
    ``timeout`` seconds (else 504)."""
    try:
        worker = await pool.acquire(timeout, key=cost_key(request))
    except TimeoutError:
        return text_error(503, f"all {pool.size} query workers are busy; try again shortly",
                          {"Retry-After": "2"})
    deadline = asyncio.get_running_loop().time() + timeout
    handed_over = healthy = False
    try:
        worker.send(request)
        async with asyncio.timeout_at(deadline):
            kind, payload = await worker.read_frame()
            if kind == b"E":
                healthy = True
                return worker_error(worker, payload)
            head = json.loads(payload)
            chunks: list[bytes] = []
            size = 0
            while size < BUFFER_BYTES:
                kind, payload = await worker.read_frame()
                if kind == b"D":
                    chunks.append(payload)
                    size += len(payload)
                elif kind == b"Z":
                    healthy = True
                    worker.ended(payload)
                    return Response(b"".join(chunks), status_code=head["status"],
                                    media_type=_with_charset(head["media_type"]), headers=headers)
                else:  # an error: it cannot have reached the client yet
                    healthy = True
                    return worker_error(worker, payload)
        handed_over = True
        return StreamedResults(pool, worker, chunks, _with_charset(head["media_type"]), deadline, headers)
    except TimeoutError:
        worker.limited = True
        return text_error(504, f"the query ran longer than the {timeout:g} s limit and was stopped; "
                               "narrow it or add a LIMIT")
    except WorkerDied as exc:
        worker.limited = True  # evidence of cost: it was stopped, or it died (out of memory?)
        if worker.preempted:
            return text_error(503, "the server was busy and this query had run longest, so it was stopped "
                                   "to let quicker ones through; try again shortly", {"Retry-After": "2"})
        return text_error(500, str(exc))
    finally:
        if not handed_over:
            pool.release(worker, healthy=healthy)


def worker_error(worker: QueryWorker, payload: bytes) -> Response:
    error = worker.ended(payload)
    if error["status"] == 422:  # the row cap: evidence of a costly query
        worker.limited = True
    return text_error(error["status"], error["message"])


class StreamedResults(Response):
    """Relays a big result; on failure cuts the connection instead of ending the body."""

    def __init__(self, pool: WorkerPool, worker: QueryWorker, chunks: list[bytes], media_type: str,
                 deadline: float, headers: dict[str, str] | None) -> None:
        # No Content-Length: the body is sent chunked, as it comes.
        self.status_code = 200
        self.background = None
        self.raw_headers = [(b"content-type", media_type.encode("latin-1"))] + [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
        self.pool, self.worker, self.chunks, self.deadline = pool, worker, chunks, deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        healthy = False
        try:
            async with anyio.create_task_group() as group:
                async def watch_disconnect() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(watch_disconnect)
                healthy = await self._relay(send)
                group.cancel_scope.cancel()
        finally:
            self.pool.release(self.worker, healthy=healthy)

    async def _relay(self, send: Send) -> bool:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        for chunk in self.chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        self.chunks = []
        problem = ""
        try:
            async with asyncio.timeout_at(self.deadline):
                while True:
                    kind, payload = await self.worker.read_frame()
                    if kind == b"D":
                        await send({"type": "http.response.body", "body": payload, "more_body": True})
                    elif kind == b"Z":
                        self.worker.ended(payload)
                        await send({"type": "http.response.body", "body": b"", "more_body": False})
                        return True
                    else:
                        problem = self.worker.ended(payload)["message"]
                        self.worker.limited = True
                        break
        except TimeoutError:
            problem = "the time limit ran out"
            self.worker.limited = True
        except WorkerDied as exc:
            problem = "it gave way to a waiting query" if self.worker.preempted else str(exc)
        # Not ending the body makes the server drop the connection mid-stream: every HTTP
        # client reports an incomplete response rather than a short valid one.
        log.warning("result stream cut after it started: %s", problem)
        return False


def dataset_params(params: list[tuple[str, str]]) -> dict:
    default = [v for k, v in params if k == "default-graph-uri"]
    named = [v for k, v in params if k == "named-graph-uri"]
    if not default and not named:
        return {}
    return {"default_graph": default, "named_graphs": named}


def parse_form(data: bytes) -> list[tuple[str, str]]:
    r"""The fields of a URL query string or an ``application/x-www-form-urlencoded`` body.

    Like ``urllib.parse.parse_qsl(..., keep_blank_values=True)``, at a fraction of the cost
    for a long query full of %-escapes.

    >>> parse_form(b"query=SELECT+%3Fs+%7B%7D&default-graph-uri=&x&bad=100%zz&zh=%E4%B8%AD%5C")
    [('query', 'SELECT ?s {}'), ('default-graph-uri', ''), ('x', ''), ('bad', '100%zz'), ('zh', '中\\')]
    """
    fields = []
    for pair in data.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.append((_unquote_plus(name), _unquote_plus(value)))
    return fields


def _unquote_plus(data: bytes) -> str:
    data = data.replace(b"+", b" ")
    if b"%" in data:
        try:
            # %hh → \xhh, decoded in C; backslashes are doubled first so they stay as they are.
            data = codecs.escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
        except ValueError:  # a % not followed by two hex digits: kept as it is
            data = unquote_to_bytes(data)
    return data.decode("utf-8", "replace")


@dataclass
class ParsedRequest:
    query: str | None
    dataset: dict
    error: Response | None = None
    url_params: list[tuple[str, str]] = field(default_factory=list)

    def param(self, name: str) -> str | None:
        """The first value of a URL parameter."""
        return next((v for k, v in self.url_params if k == name), None)


async def parse_protocol_request(request: Request) -> ParsedRequest:
    """Read a SPARQL Protocol request: the query and dataset, or the error response to send."""
    url_params = parse_form(request.scope.get("query_string", b""))
    if request.method in ("PUT", "DELETE", "PATCH"):
        return ParsedRequest(None, {}, text_error(403, "this endpoint is read-only: Graph Store writes are refused"))
    params = url_params
    query_values = [v for k, v in url_params if k == "query"]
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request)
        if body is None:
            return ParsedRequest(None, {}, text_error(413, f"request body larger than {MAX_BODY_BYTES} bytes"))
        if ctype == "application/x-www-form-urlencoded":
            form = parse_form(body)
            params = url_params + form
            query_values += [v for k, v in form if k == "query"]
        elif ctype == "application/sparql-query":
            query_values.append(body.decode("utf-8", "replace"))
        elif ctype == "application/sparql-update":
            return ParsedRequest(None, {}, text_error(403, "this endpoint is read-only: updates are refused"))
        else:
            return ParsedRequest(None, {}, text_error(
                415, f"cannot read a {ctype or 'body without Content-Type'}; send "
                     "application/x-www-form-urlencoded or application/sparql-query"))
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
        return ParsedRequest(None, {}, text_error(403, "this endpoint is read-only: updates are refused"))
    if len(query_values) > 1:
        return ParsedRequest(None, {}, text_error(400, "give exactly one query parameter"))
    return ParsedRequest(query_values[0] if query_values else None, dataset_params(params), url_params=url_params)


async def _read_body(request: Request) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def check_query(query: str, limits: Limits) -> tuple[Response | None, bool]:
    """An error response for a query we refuse, and whether it names its own dataset (FROM)."""
    lowered = query.lower()
    if not any(keyword in lowered for keyword in _KEYWORDS):
        return None, False  # no keyword anywhere, so none outside strings and IRIs either
    scrubbed = scrub(query)
    if is_update(scrubbed):
        return text_error(403, "this endpoint is read-only: updates are refused"), False
    if not limits.allow_service and uses_service(scrubbed):
        return text_error(403, "SERVICE (federated query) is turned off on this endpoint; "
                               "start `kg serve --allow-service` to allow it"), False
    return None, bool(_FROM.search(scrubbed))


def download_headers(fmt: str | None, media_type: str | None) -> dict[str, str] | None:
    if not fmt:
        return None
    ext = {"text/csv": "csv", "text/tab-separated-values": "tsv", "application/sparql-results+json": "json",
           "application/sparql-results+xml": "xml", "text/turtle": "ttl", "application/n-triples": "nt",
           "application/ld+json": "jsonld", "application/rdf+xml": "rdf"}.get(media_type or "", "txt")
    return {"Content-Disposition": f'attachment; filename="query-results.{ext}"'}


def worker_request(store: Path, query: str, dataset: dict, accept: str | None, limits: Limits,
                   *, union: bool) -> dict:
    return {"op": "query", "store": str(store), "query": query, "accept": accept,
            "max_rows": limits.max_rows, "union": union, **dataset}


def elapsed_ms(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.1f}"
