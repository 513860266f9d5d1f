"""The IRIs of the knowledge graph: one place, stable across rebuilds.

Instances live under ``https://w3id.org/policykg/id/``; terms under ``pk:``. Path
segments keep CJK characters readable and percent-encode everything else that is not
safe in an IRI path, so a name such as ``<img src=x>`` cannot break out of an IRI.

>>> agency_iri("530300", "市科协")
'https://w3id.org/policykg/id/agency/530300/市科协'
>>> segment("a b/<c>")
'a%20b%2F%3Cc%3E'
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

PK = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"

_SAFE = re.compile(r"[A-Za-z0-9\-_.~\u3400-\u9fff\uf900-\ufaff〔〕]")


def segment(value: str) -> str:
    """Percent-encode ``value`` for one IRI path segment, keeping CJK characters."""
    out = []
    for ch in value:
        if _SAFE.fullmatch(ch):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def plan_key(source_file: str) -> str:
    """A plan's key is its file's stem: stable as long as the file keeps its name."""
    return segment(PurePath(source_file).stem)


def plan_iri(source_file: str) -> str:
    return f"{ID}plan/{plan_key(source_file)}"


def graph_iri(source_file: str) -> str:
    """The named graph holding one document's triples."""
    return f"{ID}graph/{plan_key(source_file)}"


VOCABULARY_GRAPH = f"{ID}graph/vocabulary"  # ontology, agency-type scheme, regions, links


def action_iri(source_file: str, action: int) -> str:
    return f"{plan_iri(source_file)}/action/{action}"


def measure_iri(source_file: str, action: int, measure: int) -> str:
    return f"{action_iri(source_file, action)}/measure/{measure}"


def target_iri(source_file: str, index: int) -> str:
    return f"{plan_iri(source_file)}/target/{index}"


def agency_iri(region_code: str, name: str) -> str:
    return f"{ID}agency/{region_code}/{segment(name)}"


def region_iri(code: str) -> str:
    return f"{ID}region/{code}"


def agency_type_iri(slug: str) -> str:
    return f"{ID}agency-type/{segment(slug)}"


AGENCY_TYPE_SCHEME = f"{ID}agency-type"


def document_iri(*, doc_number: str | None, title: str | None) -> str:
    """A cited document: keyed by its 文号 when known, else by a hash of its normalised title,
    so every plan citing the same document shares one node."""
    if doc_number:
        return f"{ID}document/{segment(doc_number)}"
    key = re.sub(r"[\s《》“”\"'（）()—\-－–]", "", title or "")
    return f"{ID}document/t-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"
