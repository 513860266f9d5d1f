"""CSV tables of the graph for spreadsheet users (``kg export --format csv --out DIR``).

Five tables, one row per thing, IRIs in the first column so a row can be looked up in the graph:

=====================  ============================================================
``plans.csv``          one row per built plan: file, title, 文号, dates, region, issuers,
                       documents implemented
``units.csv``          one row per action or measure: plan, kind, position, title, text,
                       agencies by role, offsets of the passage
``responsibilities.csv`` one row per (unit, role, agency)
``targets.csv``        one row per target: who states it, indicator, comparator, value(s),
                       unit, year, region
``agencies.csv``       one row per agency: names, region, type, national counterpart, Wikidata
=====================  ============================================================

Cells holding several values separate them with `` | ``. Files are UTF-8 *with* a byte-order
mark and CRLF line ends (RFC 4180): Excel, which most spreadsheet users open CSV with, reads a
BOM-less file in the system code page (GBK on Chinese Windows) and garbles every name; with the
BOM it reads UTF-8. Python reads them with ``encoding="utf-8-sig"`` (pandas too).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from .errors import KgError
from .query import PREFIXES

SEPARATOR = " | "

_ZH = 'FILTER (lang(?{0}) = "zh")'

TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "plans.csv": (
        ("plan", "source_file", "title", "doc_number", "issued", "start_year", "end_year", "region_code",
         "region_name", "issued_by", "implements"),
        f"""SELECT ?plan ?source_file ?title ?doc_number ?issued ?start_year ?end_year ?region_code ?region_name
               (GROUP_CONCAT(DISTINCT ?issuer; separator="{SEPARATOR}") AS ?issued_by)
               (GROUP_CONCAT(DISTINCT ?doc; separator="{SEPARATOR}") AS ?implements) WHERE {{
            ?plan pk:sourceFile ?source_file .
            OPTIONAL {{ ?plan dcterms:title ?title }}
            OPTIONAL {{ ?plan dcterms:identifier ?doc_number }}
            OPTIONAL {{ ?plan dcterms:issued ?issued }}
            OPTIONAL {{ ?plan pk:startYear ?start_year }}
            OPTIONAL {{ ?plan pk:endYear ?end_year }}
            OPTIONAL {{ ?plan pk:region ?r . ?r pk:adminCode ?region_code ; rdfs:label ?region_name {_ZH.format("region_name")} }}
            OPTIONAL {{ ?plan pk:issuedBy/rdfs:label ?issuer {_ZH.format("issuer")} }}
            OPTIONAL {{ ?plan pk:implements ?d . OPTIONAL {{ ?d dcterms:identifier ?did }}
                        OPTIONAL {{ ?d dcterms:title ?dtitle }}
                        BIND (COALESCE(?did, ?dtitle) AS ?doc) }}
        }} GROUP BY ?plan ?source_file ?title ?doc_number ?issued ?start_year ?end_year ?region_code ?region_name
        ORDER BY ?source_file""",
    ),
    "units.csv": (
        ("unit", "plan", "source_file", "kind", "parent", "ordinal", "title", "text", "lead_agencies",
         "cooperating_agencies", "responsible_agencies", "source_start", "source_end"),
        f"""SELECT ?unit ?plan ?source_file ?kind ?parent ?ordinal ?title ?text
               (GROUP_CONCAT(DISTINCT ?lead; separator="{SEPARATOR}") AS ?lead_agencies)
               (GROUP_CONCAT(DISTINCT ?coop; separator="{SEPARATOR}") AS ?cooperating_agencies)
               (GROUP_CONCAT(DISTINCT ?resp; separator="{SEPARATOR}") AS ?responsible_agencies)
               ?source_start ?source_end WHERE {{
            ?plan pk:sourceFile ?source_file ; pk:hasAction/pk:hasMeasure? ?unit .
            ?unit a ?cls ; pk:ordinal ?ordinal ; pk:text ?text ; rdfs:label ?title {_ZH.format("title")}
            VALUES (?cls ?kind) {{ (pk:Action "action") (pk:Measure "measure") }}
            ?parent pk:hasAction|pk:hasMeasure ?unit .
            OPTIONAL {{ ?unit pk:leadAgency/rdfs:label ?lead {_ZH.format("lead")} }}
            OPTIONAL {{ ?unit pk:cooperatingAgency/rdfs:label ?coop {_ZH.format("coop")} }}
            OPTIONAL {{ ?unit pk:responsibleAgency/rdfs:label ?resp {_ZH.format("resp")} }}
            OPTIONAL {{ ?unit pk:sourceStart ?source_start ; pk:sourceEnd ?source_end }}
        }} GROUP BY ?unit ?plan ?source_file ?kind ?parent ?ordinal ?title ?text ?source_start ?source_end
        ORDER BY ?source_file ?source_start ?unit""",
    ),
    "responsibilities.csv": (
        ("source_file", "unit", "unit_title", "role", "agency", "agency_name", "agency_full_name",
         "agency_region_code", "agency_type"),
        f"""SELECT DISTINCT ?source_file ?unit ?unit_title ?role ?agency ?agency_name ?agency_full_name ?agency_region_code ?agency_type
        WHERE {{
            ?plan pk:sourceFile ?source_file ; pk:hasAction/pk:hasMeasure? ?unit .
            ?unit rdfs:label ?unit_title {_ZH.format("unit_title")} ?unit ?p ?agency .
            VALUES (?p ?role) {{ (pk:leadAgency "lead") (pk:cooperatingAgency "cooperating") (pk:responsibleAgency "responsible") }}
            ?agency rdfs:label ?agency_name {_ZH.format("agency_name")}
            OPTIONAL {{ ?agency pk:fullName ?agency_full_name }}
            OPTIONAL {{ ?agency pk:region/pk:adminCode ?agency_region_code }}
            OPTIONAL {{ ?agency pk:agencyType/skos:notation ?agency_type }}
        }} ORDER BY ?source_file ?unit ?role ?agency_name""",
    ),
    "targets.csv": (
        ("target", "source_file", "stated_by", "stated_by_title", "indicator", "comparator", "value", "value_max",
         "unit", "year", "region_code", "text"),
        f"""SELECT DISTINCT ?target ?source_file ?stated_by ?stated_by_title ?indicator ?comparator ?value ?value_max ?unit ?year
               ?region_code ?text WHERE {{
            ?target a pk:Target ; pk:value ?value ; pk:unit ?unit ; pk:comparator ?comparator ;
                    prov:wasDerivedFrom ?plan . ?plan pk:sourceFile ?source_file .
            ?stated_by pk:hasTarget ?target .
            OPTIONAL {{ ?stated_by rdfs:label ?stated_by_title {_ZH.format("stated_by_title")} }}
            OPTIONAL {{ ?target pk:indicator ?indicator }}
            OPTIONAL {{ ?target pk:valueMax ?value_max }}
            OPTIONAL {{ ?target pk:targetYear ?year }}
            OPTIONAL {{ ?target pk:text ?text }}
            OPTIONAL {{ ?plan pk:region/pk:adminCode ?region_code }}
        }} ORDER BY ?source_file ?target""",
    ),
    "agencies.csv": (
        ("agency", "name", "full_name", "name_en", "pinyin", "region_code", "region_name", "type", "type_zh", "type_en",
         "national_counterpart", "wikidata"),
        # One subquery per column: an agency is described in every plan graph that names it, and
        # the union default graph repeats its triples once per graph; joined flat, the optional
        # columns would multiply.
        f"""SELECT DISTINCT ?agency ?name ?full_name ?name_en ?pinyin ?region_code ?region_name ?type ?type_zh ?type_en
               ?national_counterpart ?wikidata WHERE {{
            {{ SELECT DISTINCT ?agency ?name WHERE {{ ?agency a pk:Agency ; rdfs:label ?name {_ZH.format("name")} }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?full_name WHERE {{ ?agency pk:fullName ?full_name }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?name_en WHERE {{ ?agency a pk:Agency ; rdfs:label ?name_en FILTER (lang(?name_en) = "en") }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?pinyin WHERE {{ ?agency skos:altLabel ?pinyin FILTER (lang(?pinyin) = "zh-latn-pinyin") }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?region_code ?region_name WHERE {{
                ?agency a pk:Agency ; pk:region ?r . ?r pk:adminCode ?region_code ; rdfs:label ?region_name {_ZH.format("region_name")} }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?type ?type_zh ?type_en WHERE {{ ?agency pk:agencyType ?t .
                ?t skos:notation ?type ; skos:prefLabel ?type_zh, ?type_en FILTER (lang(?type_zh) = "zh" && lang(?type_en) = "en") }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?national_counterpart WHERE {{
                ?agency pk:agencyType/pk:nationalCounterpart/rdfs:label ?national_counterpart {_ZH.format("national_counterpart")} }} }}
            OPTIONAL {{ SELECT DISTINCT ?agency ?wikidata WHERE {{
                ?agency a pk:Agency ; owl:sameAs ?wikidata FILTER (STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/")) }} }}
        }} ORDER BY ?region_code ?name ?agency""",
    ),
}


def _cell(term) -> str:
    return "" if term is None else term.value


def write_tables(store: ox.Store, out_dir: Path) -> dict[str, int]:
    """Write the five tables into ``out_dir`` (created if needed); returns rows per file.

    Each file is written beside its final name and renamed, so a reader never sees half a table.
    Raises ``KgError`` when the folder cannot be written.
    """
    out_dir = Path(out_dir)
    counts: dict[str, int] = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, (columns, query) in TABLES.items():
            results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
            rows = [[_cell(s[c]) for c in columns] for s in results]
            tmp = out_dir / f".{name}.part"
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)  # RFC 4180: CRLF, quotes where needed
                writer.writerow(columns)
                writer.writerows(rows)
            tmp.replace(out_dir / name)
            counts[name] = len(rows)
    except OSError as exc:
        raise KgError(f"{out_dir}: cannot write the CSV tables ({exc.strerror})") from exc
    return counts
