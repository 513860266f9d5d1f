"""The SPARQL endpoint and its pages (``kg serve``).

``make_app(store, ...)`` builds a Starlette app; ``serve(args)`` runs it with uvicorn.
Queries run in killable worker processes (``kg.sparql_http``), which open the store
read-only at the version the ``store`` symlink points at when the query arrives, so a
rebuild (``kg build`` swaps the symlink) is served at once without a restart.

Routes: ``/`` (what the dataset holds), ``/sparql`` (SPARQL 1.1 Protocol; the query UI
for browsers; the Service Description with no query), ``/store`` (Graph Store Protocol,
reads only), ``/ontology`` (documentation, or Turtle by content negotiation),
``/ontology/context.jsonld``, ``/id/...`` (every instance IRI dereferenced: HTML for
browsers, Turtle/JSON-LD/N-Triples for programs), ``/.well-known/void`` (DCAT + VoID),
``/dumps/policykg.nq|.trig|.ttl|.jsonld``, ``/network`` when the network page is
available, and ``/assets/...`` (our JS/CSS and YASGUI from ``node_modules``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from . import linked_data, settings
from . import store as store_module
from .errors import StoreError
from .sparql_http import (Limits, WorkerPool, check_query, download_headers, parse_protocol_request,
                          run_in_worker, text_error, worker_request)
from .sparql_pool import HEAVY_AFTER
from .sparql_worker import FORMAT_NAMES, GRAPH_ALIASES, GRAPH_TYPES, RESULT_ALIASES, RESULT_TYPES, negotiate
from .web import pages

log = logging.getLogger("kg.server")


def current_version(store: Path) -> Path | None:
    """The version directory the store symlink points at now (None when unbuilt)."""
    try:
        return store_module.current_version(store)
    except StoreError:
        return None


def make_app(store: Path | str, *, timeout: float = float(settings.TIMEOUT.default),  # type: ignore[arg-type]
             max_rows: int = int(settings.MAX_ROWS.default),  # type: ignore[call-overload]
             max_concurrent: int = int(settings.MAX_CONCURRENT.default),  # type: ignore[call-overload]
             allow_service: bool = False, cors: bool = False) -> Starlette:
    """The endpoint as an ASGI app over the store at ``store`` (a path or store symlink).

    >>> app = make_app("var/store", timeout=5, max_concurrent=2)
    >>> [r.path for r in app.routes][:3]
    ['/', '/sparql', '/store']
    """
    store = Path(store)
    limits = Limits(timeout=timeout, max_rows=max_rows, allow_service=allow_service)
    # A query is heavy past a second, or a fifth of a shorter timeout (kg.sparql_pool).
    pool = WorkerPool(max_concurrent, heavy_after=min(HEAVY_AFTER, timeout / 5))
    network_page = _network_page_function()
    counts_cache: dict[Path, dict[str, int]] = {}
    stores: dict[Path, ox.Store] = {}
    dump_files: dict[tuple[Path, str], Path] = {}
    network_cache: dict[tuple[Path, str], str] = {}

    resolved: dict[str, Path] = {}  # the symlink's text → the version it named

    def version_now() -> Path | None:
        # One readlink per query instead of a full resolve: a rebuild changes the link.
        try:
            link = os.readlink(store)
        except OSError:  # not a symlink (a plain store directory), or nothing there
            return current_version(store)
        version = resolved.get(link)
        if version is None:
            version = current_version(store)
            resolved.clear()
            if version is not None:
                resolved[link] = version
        return version

    def version_or_error() -> tuple[Path | None, Response | None]:
        version = version_now()
        if version is None:
            return None, text_error(503, f"no store at {store}; run `kg build --store {store}` first")
        return version, None

    async def sparql(request: Request) -> Response:
        parsed = await parse_protocol_request(request)
        if parsed.error is not None:
            return parsed.error
        accept = request.headers.get("accept")
        fmt = parsed.param("format")
        if parsed.query is None:
            if request.method == "POST":
                return text_error(400, "no query: send query= (form) or an application/sparql-query body")
            return _service_description_or_ui(request, accept)
        if fmt is None and request.method == "GET" and _prefers_html(accept):
            return HTMLResponse(pages.sparql_page(query=parsed.query, network=network_page is not None))
        if fmt is not None:
            media = FORMAT_NAMES.get(fmt.lower(), fmt.lower())
            if media not in RESULT_TYPES and media not in GRAPH_TYPES:
                return text_error(400, f"unknown format {fmt!r}; use one of {', '.join(sorted(FORMAT_NAMES))}")
            accept = media
        refusal, names_dataset = check_query(parsed.query, limits)
        if refusal is not None:
            return refusal
        version, error = version_or_error()
        if error is not None:
            return error
        assert version is not None
        job = worker_request(version, parsed.query, parsed.dataset, accept, limits, union=not names_dataset)
        return await run_in_worker(pool, job, timeout=limits.timeout,
                                   headers=download_headers(fmt, accept if fmt else None))

    def _service_description_or_ui(request: Request, accept: str | None) -> Response:
        offers = list(GRAPH_TYPES) + ["text/html"]
        media = negotiate(accept, offers, GRAPH_ALIASES)
        if media == "text/html":
            return HTMLResponse(pages.sparql_page(query=None, network=network_page is not None))
        if media is None:
            return text_error(406, f"the service description is available as {', '.join(GRAPH_TYPES)}")
        endpoint = str(request.url.replace(query=""))
        return Response(pages.service_description(endpoint, media), media_type=media)

    async def graph_store(request: Request) -> Response:
        if request.method != "GET":
            return text_error(403, "this endpoint is read-only: Graph Store writes are refused")
        version, error = version_or_error()
        if error is not None:
            return error
        assert version is not None
        graph = request.query_params.get("graph")
        if graph is None and "default" not in request.query_params:
            return await run_in_worker(pool, {"op": "dump", "store": str(version),
                                              "media_type": "application/n-quads"}, timeout=limits.timeout * 10)
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        if graph is not None and any(c in graph for c in '<>"{}|^`\\ '):
            return text_error(400, f"not an IRI: {graph!r}")
        job = worker_request(version, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", {},
                             request.headers.get("accept"), Limits(timeout=limits.timeout, max_rows=0), union=True)
        return await run_in_worker(pool, job, timeout=limits.timeout * 10)

    async def dump(request: Request) -> Response:
        ext = request.path_params["ext"]
        media = DUMP_TYPES.get(ext)
        if media is None:
            return text_error(404, f"no dump policykg.{ext}; there are {', '.join(f'policykg.{e}' for e in DUMP_TYPES)}")
        version, error = version_or_error()
        if error is not None:
            return error
        assert version is not None
        disposition = {"Content-Disposition": f'attachment; filename="policykg.{ext}"'}
        if ext in ("nq", "trig"):
            return await run_in_worker(pool, {"op": "dump", "store": str(version), "media_type": media},
                                       timeout=limits.timeout * 10, headers=disposition)
        # Turtle and JSON-LD (with the published context and the dataset description) come
        # from `kg export`, written once per store version.
        path = dump_files.get((version, ext))
        if path is None or not path.is_file():
            from .export import export

            path = Path(tempfile.mkdtemp(prefix="policykg-dump-")) / f"policykg.{ext}"
            await asyncio.to_thread(export, version, ext, path, base_url=_base_url(request))
            dump_files[(version, ext)] = path
        return FileResponse(path, media_type=media, headers=disposition)

    def read_store(version: Path) -> ox.Store:
        # One read-only handle per version, for the small lookups of resource pages.
        if version not in stores:
            stores.clear()
            stores[version] = ox.Store.read_only(str(version))
        return stores[version]

    async def resource(request: Request) -> Response:
        version, error = version_or_error()
        if error is not None:
            return error
        assert version is not None
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("ascii", "replace")
        return _linked_data_response(await asyncio.to_thread(
            linked_data.dereference, read_store(version), raw_path, request.headers.get("accept"),
            fmt=request.query_params.get("format")))

    async def void(request: Request) -> Response:
        version, error = version_or_error()
        if error is not None:
            return error
        assert version is not None
        return _linked_data_response(await asyncio.to_thread(
            linked_data.void_response, read_store(version), request.headers.get("accept"),
            base_url=_base_url(request)))

    async def home(request: Request) -> Response:
        version, error = version_or_error()
        counts: dict[str, int] | None = None
        if version is not None:
            counts = counts_cache.get(version)
            if counts is None:
                counts = await _class_counts(pool, version, limits.timeout)
                if counts is not None:
                    counts_cache.clear()
                    counts_cache[version] = counts
        return HTMLResponse(pages.home_page(counts, store=str(store), network=network_page is not None))

    async def ontology(request: Request) -> Response:
        return _linked_data_response(linked_data.ontology_response(request.headers.get("accept")))

    async def context(request: Request) -> Response:
        return _linked_data_response(linked_data.context_response())

    async def ontology_terms(request: Request) -> Response:
        return Response(pages.ontology_terms_json(), media_type="application/json")

    async def network(request: Request) -> Response:
        assert network_page is not None
        version, error = version_or_error()
        if error is not None:
            return error
        level = request.query_params.get("level", "agency")
        if level not in ("agency", "type"):
            return text_error(400, "level must be agency or type")
        key = (version, level)
        if key not in network_cache:
            # Built in a thread from the version directory (read-only), once per version.
            network_cache.clear()
            network_cache[key] = await asyncio.to_thread(network_page, version, level=level)
        return HTMLResponse(network_cache[key])

    async def asset(request: Request) -> Response:
        path = pages.asset_path(request.path_params["kind"], request.path_params["name"])
        if path is None:
            return text_error(404, "no such asset (run `make install` to fetch the SPARQL editor)")
        return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/store", graph_store, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/ontology", ontology),
        Route("/ontology/context.jsonld", context),
        Route("/id/{path:path}", resource),
        Route("/.well-known/void", void),
        Route("/ontology/terms.json", ontology_terms),
        Route("/dumps/policykg.{ext:str}", dump),
        Route("/assets/{kind:str}/{name:str}", asset),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]
    if network_page is not None:
        routes.append(Route("/network", network))
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"])] if cors else []
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool  # for tests and operators: who gave way, how often
    return app


DUMP_TYPES = {"nq": "application/n-quads", "trig": "application/trig", "ttl": "text/turtle",
              "jsonld": "application/ld+json"}


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _linked_data_response(result: tuple[int, dict[str, str], bytes]) -> Response:
    status, headers, body = result
    headers = {**headers, "Vary": "Accept"}
    media = headers.pop("content-type", None) or headers.pop("Content-Type", None)
    return Response(body, status_code=status, headers=headers, media_type=media)


def _prefers_html(accept: str | None) -> bool:
    """A browser navigating to a query link (Accept puts text/html first) gets the UI."""
    offers = list(RESULT_TYPES) + list(GRAPH_TYPES) + ["text/html"]
    aliases = {**GRAPH_ALIASES, **RESULT_ALIASES}
    return negotiate(accept, offers, aliases) == "text/html" and "text/html" in (accept or "")


async def _class_counts(pool: WorkerPool, version: Path, timeout: float) -> dict[str, int] | None:
    response = await run_in_worker(pool, {"op": "query", "store": str(version), "query": pages.COUNTS_QUERY,
                                          "accept": "application/sparql-results+json", "max_rows": 0,
                                          "union": True}, timeout=timeout)
    if response.status_code != 200:
        return None
    data = json.loads(bytes(response.body))
    return {b["class"]["value"].rsplit("#", 1)[-1]: int(b["n"]["value"]) for b in data["results"]["bindings"]}


def _network_page_function():  # -> Callable[[Path], str] | None
    # Teammate-owned page (kg.network_page); the link and route are left out without it.
    try:
        from .network_page import network_page_html
    except ImportError:
        return None
    return network_page_html


# httptools parses HTTP in C: about half a millisecond less per query than h11. uvloop
# measured no faster here, and its subprocess handling hangs a server run in a thread.
UVICORN_OPTIONS = {"http": "httptools", "loop": "asyncio", "access_log": False}


@contextlib.contextmanager
def running(app: Starlette, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` in a background thread on a free port; yields its base URL.

    For tests, benchmarks and notebooks; stops the server (and its workers) on exit.
    """
    import socket
    import threading

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **UVICORN_OPTIONS))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            thread.join(0.02)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def serve(args: argparse.Namespace) -> None:
    """Run the endpoint until interrupted (``kg serve``)."""
    import uvicorn

    store = Path(args.store)
    if current_version(store) is None:
        from .errors import StoreError
        raise StoreError(f"{store}: no store here; run `kg build --store {store}` first")
    app = make_app(store, timeout=args.timeout, max_rows=args.max_rows, max_concurrent=args.max_concurrent,
                   allow_service=args.allow_service, cors=args.cors)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    print(f"serving {store} at http://{args.host}:{args.port}/sparql", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=2,
                **UVICORN_OPTIONS)
