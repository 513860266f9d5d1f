"""Links to open government data: Wikidata items and GB/T 2260 codes, as quads.

The curated table ``mappings/wikidata.csv`` (columns ``kind,key,name_zh,name_en,qid,evidence``)
says which Wikidata item each region (key = six-digit code), national body (key = the
agency-type slug of ``mappings/agency_types.csv``) and national document (key = 文号) is.
Only rows with a ``qid`` become ``owl:sameAs`` links; an empty ``qid`` means no source
confirmed one, and nothing is guessed.

Once per store (``region_link_quads``, called by ``kg.corpus``): every region any plan refers
to gets ``wdt:P442`` with the code in Wikidata's spaced form ("35 01 03"; not for the nation,
which has no GB/T 2260 code), so a federated query can join to Wikidata by code even where we
assert no ``owl:sameAs``; and ``owl:sameAs`` the item when the table has one.

Once, in the vocabulary graph (``type_link_quads``):

- every agency type that has a national counterpart (in ``mappings/agency_types.csv`` or a
  row here): ``pk:nationalCounterpart`` → the national body, a ``pk:Agency`` of region 100000
  and of that type, with zh (and, from a row here, en) labels, and ``owl:sameAs`` its item
  when verified.

For each plan, into the plan's own named graph:

- every cited document (and the plan itself) whose 文号 has a verified row: ``owl:sameAs``.

>>> rows = load_link_table()
>>> next(r for r in rows if r.key == "350100").qid
'Q68481'
>>> p442("350103")
'35 01 03'
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .errors import MappingTableError
from .model import AgencyType, Region, ResolvedPlan
from .paths import MAPPINGS_DIR
from .regions import NATION

LINK_TABLE = MAPPINGS_DIR / "wikidata.csv"
COLUMNS = ("kind", "key", "name_zh", "name_en", "qid", "evidence")
KINDS = ("region", "agency", "document")

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
P442 = ox.NamedNode(f"{WDT}P442")  # China administrative division code, "35 01 03"
PK_AGENCY = ox.NamedNode(f"{iris.PK}Agency")
PK_REGION = ox.NamedNode(f"{iris.PK}region")
PK_AGENCY_TYPE = ox.NamedNode(f"{iris.PK}agencyType")
PK_NATIONAL_COUNTERPART = ox.NamedNode(f"{iris.PK}nationalCounterpart")
PK_FULL_NAME = ox.NamedNode(f"{iris.PK}fullName")

_KEY_PATTERNS = {
    "region": (re.compile(r"\d{6}"), 'a six-digit GB/T 2260 code such as "350103" (nation: "100000")'),
    "agency": (re.compile(r"[a-z0-9]+(-[a-z0-9]+)*"), 'an agency-type slug such as "education"'),
    "document": (re.compile(r".+〔\d{4}〕\d+号"), 'a 文号 with 〔〕 brackets such as "国发〔2021〕9号"'),
}
_QID = re.compile(r"Q[1-9]\d*")


@dataclass(frozen=True)
class LinkRow:
    """One row of the link table. ``qid`` is None where no item was verified."""

    kind: str  # "region" | "agency" | "document"
    key: str  # region code, agency-type slug or 文号
    name_zh: str
    name_en: str
    qid: str | None
    evidence: str
    line: int  # where the row is in the table, for messages

    @property
    def item(self) -> str | None:
        """The Wikidata entity IRI, e.g. ``http://www.wikidata.org/entity/Q148``."""
        return f"{WD}{self.qid}" if self.qid else None


def load_link_table(path: Path = LINK_TABLE) -> list[LinkRow]:
    """Read and validate the link table.

    Raises ``MappingTableError`` naming the file and line of the first malformed row: an
    unknown kind, a key of the wrong form, an empty name or evidence, a QID that is not
    ``Q`` and digits, or a (kind, key) given twice.

    >>> len([r for r in load_link_table() if r.kind == "region"]) > 0
    True
    """
    rows: list[LinkRow] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise MappingTableError(f"{path}: cannot read the link table ({exc.strerror})") from exc
    with f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header[: len(COLUMNS)]) != COLUMNS:
            raise MappingTableError(f"{path}:1: the header must start with {','.join(COLUMNS)}, got {header}")
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) < len(COLUMNS):
                raise MappingTableError(f"{path}:{line}: {len(record)} cells, expected {len(COLUMNS)}: {record}")
            kind, key, name_zh, name_en, qid, evidence = (c.strip() for c in record[: len(COLUMNS)])
            rows.append(_validate(path, line, kind, key, name_zh, name_en, qid, evidence, seen))
    return rows


def _validate(
    path: Path, line: int, kind: str, key: str, name_zh: str, name_en: str, qid: str, evidence: str,
    seen: dict[tuple[str, str], int],
) -> LinkRow:
    where = f"{path}:{line}"
    if kind not in KINDS:
        raise MappingTableError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    pattern, expected = _KEY_PATTERNS[kind]
    if not pattern.fullmatch(key):
        raise MappingTableError(f"{where}: {kind} key {key!r} is not {expected}")
    if not name_zh or not name_en:
        raise MappingTableError(f"{where}: name_zh and name_en must both be given")
    if qid and not _QID.fullmatch(qid):
        raise MappingTableError(f'{where}: qid {qid!r} is not a Wikidata item id such as "Q148" (or empty)')
    if not evidence:
        raise MappingTableError(f"{where}: evidence is empty; say where the QID was checked, or why there is none")
    if (kind, key) in seen:
        raise MappingTableError(f"{where}: {kind} {key} is already given on line {seen[(kind, key)]}")
    seen[(kind, key)] = line
    return LinkRow(kind, key, name_zh, name_en, qid or None, evidence, line)


def p442(code: str) -> str:
    """A GB/T 2260 code as Wikidata's P442 writes it: pairs of digits separated by spaces."""
    return " ".join(code[i : i + 2] for i in range(0, len(code), 2))


def _index(rows: Iterable[LinkRow]) -> dict[tuple[str, str], LinkRow]:
    return {(r.kind, r.key): r for r in rows}


@functools.cache
def _default_index() -> dict[tuple[str, str], LinkRow]:
    return _index(load_link_table())


def _counterpart_triples(
    kind: AgencyType, row: LinkRow | None
) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    """The national body of an agency type: named as ``mappings/agency_types.csv`` names it
    (中国科协), so it is the same node as that agency in a national plan, else as the link
    table does; the link table adds the full name, the English label and the QID."""
    name = kind.national_counterpart or (row.name_zh if row else None)
    if not name:
        return []
    concept = ox.NamedNode(iris.agency_type_iri(kind.slug))
    body = ox.NamedNode(iris.agency_iri(NATION.code, name))
    out: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (concept, PK_NATIONAL_COUNTERPART, body),
        (body, RDF_TYPE, PK_AGENCY),
        (body, RDFS_LABEL, ox.Literal(name, language="zh")),
        (body, PK_REGION, ox.NamedNode(iris.region_iri(NATION.code))),
        (body, PK_AGENCY_TYPE, concept),
    ]
    if row is not None:
        if row.name_zh != name:
            out.append((body, PK_FULL_NAME, ox.Literal(row.name_zh)))  # xsd:string, as the shapes say
        out.append((body, RDFS_LABEL, ox.Literal(row.name_en, language="en")))
        if row.item:
            out.append((body, OWL_SAME_AS, ox.NamedNode(row.item)))
    return out


def type_link_quads(types: Iterable[AgencyType], *, table: Sequence[LinkRow] | None = None) -> list[ox.Quad]:
    """Each agency type's national counterpart body, with its Wikidata item where verified, in
    the vocabulary graph: described once for the corpus, not again in every plan's graph
    (the union graph would repeat it per plan and multiply joins).

    Raises ``MappingTableError`` when the default table is malformed.
    """
    index = _default_index() if table is None else _index(table)
    graph = ox.NamedNode(iris.VOCABULARY_GRAPH)
    out: dict[ox.Quad, None] = {}
    for kind in types:
        for s, p, o in _counterpart_triples(kind, index.get(("agency", kind.slug))):
            out[ox.Quad(s, p, o, graph)] = None
    return list(out)


def region_link_quads(regions: Iterable[Region], graph: str, *, table: Sequence[LinkRow] | None = None) -> list[ox.Quad]:
    """Each region's ``wdt:P442`` code in Wikidata's spaced form ("35 01 03"; not for the
    nation, which has no GB/T 2260 code), so a federated query can join to Wikidata by code
    even where no ``owl:sameAs`` is asserted, and ``owl:sameAs`` its item where the table has
    a verified one; in ``graph`` (``kg.corpus`` describes every region once per store).

    Raises ``MappingTableError`` when the default table is malformed.
    """
    index = _default_index() if table is None else _index(table)
    node_graph = ox.NamedNode(graph)
    out: list[ox.Quad] = []
    for region in regions:
        node = ox.NamedNode(iris.region_iri(region.code))
        if region.code != NATION.code:
            out.append(ox.Quad(node, P442, ox.Literal(p442(region.code)), node_graph))
        row = index.get(("region", region.code))
        if row and row.item:
            out.append(ox.Quad(node, OWL_SAME_AS, ox.NamedNode(row.item), node_graph))
    return out


def link_quads(plan: ResolvedPlan, *, table: Sequence[LinkRow] | None = None) -> list[ox.Quad]:
    """The link quads for one plan, in its named graph. ``table`` defaults to the
    project's ``mappings/wikidata.csv`` (loaded once).

    Raises ``MappingTableError`` when the default table is malformed.
    """
    index = _default_index() if table is None else _index(table)
    graph = ox.NamedNode(iris.graph_iri(plan.record.source))
    out: dict[ox.Quad, None] = {}  # an ordered set: plans repeat regions and types

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        out[ox.Quad(s, p, o, graph)] = None

    meta = plan.record.meta
    cited = [ref.doc_number for ref in meta.implements if ref.doc_number]
    for number in cited:
        row = index.get(("document", number))
        if row and row.item:
            add(ox.NamedNode(iris.document_iri(doc_number=number, title=None)), OWL_SAME_AS, ox.NamedNode(row.item))
    own = index.get(("document", meta.doc_number)) if meta.doc_number else None
    if own and own.item:
        add(ox.NamedNode(iris.plan_iri(plan.record.source)), OWL_SAME_AS, ox.NamedNode(own.item))
    return list(out)
