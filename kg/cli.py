"""The ``kg`` command: parses options, calls one library function, turns ``KgError``
into a message. No pipeline logic lives here."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, settings
from .errors import KgError
from .paths import DOCUMENTS_DIR


def _add(parser: argparse.ArgumentParser, setting: settings.Setting) -> None:
    parser.add_argument(
        f"--{setting.name}", type=setting.type, default=setting.default,
        help=f"{setting.help} (default: {setting.default})",
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build, print_progress

    paths = args.paths or [DOCUMENTS_DIR]
    report = build(paths, store=Path(args.store), workers=args.workers, incremental=not args.full,
                   executor=args.executor, scheduler=args.scheduler,
                   progress=None if args.quiet else print_progress)
    for doc in report.documents:
        print(f"{doc.source}: {doc.units} units, {doc.responsibilities} responsibilities, "
              f"{doc.agencies} agencies, {doc.targets} targets, {doc.triples} triples")
        for warning in doc.warnings:
            print(f"  warning: {warning}")
    for failure in report.failures:
        print(f"error: {failure}", file=sys.stderr)
    if report.unchanged:
        print(f"{len(report.unchanged)} documents unchanged since the last build (kept as they were)")
    print(f"built {len(report.documents)} documents into {args.store}"
          + (f"; {len(report.failures)} failed" if report.failures else ""))
    return 0 if report.ok else 2


def cmd_query(args: argparse.Namespace) -> int:
    from .query import execute, format_results
    from .store import open_read_only

    if args.file:
        query = Path(args.file).read_text(encoding="utf-8")
    elif args.query and args.query.endswith(".rq") and not any(c.isspace() for c in args.query):
        # An argument ending in .rq (and holding no whitespace) names a query file.
        path = Path(args.query)
        if not path.is_file():
            raise KgError(f"{path}: no such query file")
        query = path.read_text(encoding="utf-8")
    elif args.query:
        query = args.query
    else:
        raise KgError("give a SPARQL query, a FILE.rq, or --file FILE.rq")
    sys.stdout.write(format_results(execute(open_read_only(Path(args.store)), query), args.format))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve

    serve(args)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    n = export(Path(args.store), args.format, Path(args.out))
    unit = {"nq": "quads", "ttl": "triples", "jsonld": "triples"}.get(args.format, "records")
    print(f"wrote {n} {unit} to {args.out}")
    return 0


def cmd_network(args: argparse.Namespace) -> int:
    from .network import write_network_page

    out = write_network_page(Path(args.store), Path(args.out), level=args.level, regions=args.region or [])
    print(f"wrote {out}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Chinese policy action plans as an RDF knowledge graph.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the graph from documents into a store")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the bundled documents/)")
    _add(p, settings.STORE)
    _add(p, settings.WORKERS)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--full", action="store_true", help="parse every document again, even unchanged ones")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where documents are parsed: local processes (--workers), or a Dask cluster (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler to use with --executor dask, e.g. tcp://10.0.0.5:8786 "
                        "(default: start a local cluster of --workers processes)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a SPARQL query against the store")
    p.add_argument("query", nargs="?", help="SPARQL text, or a FILE.rq")
    p.add_argument("--file", help="read the query from this .rq file")
    _add(p, settings.STORE)
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format (default: table)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the store over the SPARQL 1.1 Protocol")
    for s in (settings.STORE, settings.HOST, settings.PORT, settings.TIMEOUT, settings.MAX_ROWS, settings.MAX_CONCURRENT):
        _add(p, s)
    p.add_argument("--allow-service", action="store_true", help="allow SERVICE (federated) queries; off by default")
    p.add_argument("--cors", action="store_true", help="send CORS headers so pages on other origins may query")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="write the graph or the agency network to a file")
    _add(p, settings.STORE)
    p.add_argument("--format", required=True, choices=("nq", "ttl", "jsonld", "csv", "graphml", "gexf"), help="output format")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("network", help="draw the agency network as a self-contained HTML page")
    _add(p, settings.STORE)
    p.add_argument("--out", default="network.html", help="output HTML file (default: network.html)")
    p.add_argument("--region", nargs="*", help="only agencies of these GB/T 2260 region codes")
    p.add_argument("--level", choices=("agency", "type"), default="agency", help="a node per agency, or per agency type")
    p.set_defaults(func=cmd_network)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
