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

import functools
import hashlib
import re
from pathlib import PurePath

PK = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"

_UNSAFE = re.compile(r"[^A-Za-z0-9\-_.~\u3400-\u9fff\uf900-\ufaff〔〕]")


@functools.lru_cache(maxsize=65536)  # the same names and files recur in every plan
def segment(value: str) -> str:
    """Percent-encode ``value`` for one IRI path segment, keeping CJK characters."""
    return _UNSAFE.sub(_percent_encoded, value)


def _percent_encoded(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8"))


def plan_key(source_file: str) -> str:
    """A plan's key is its file's stem: stable as long as the file keeps its name."""
    return segment(PurePath(source_file).stem)


def plan_iri(source_file: str) -> str:
    return f"{ID}plan/{plan_key(source_file)}"


def graph_iri(source_file: str) -> str:
    """The named graph holding one document's triples."""
    return f"{ID}graph/{plan_key(source_file)}"


VOCABULARY_GRAPH = f"{ID}graph/vocabulary"  # ontology, agency-type scheme, national bodies and their links


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


# The 关于印发…的通知 shell a cited title may carry (国务院办公厅关于印发X的通知 → X); 印发 alone
# (without 关于) also occurs. 转发 is not stripped: a forwarding notice is another document.
_SHELL = re.compile(r"^.*?(?:关于)?印发(.+?)的通知$")
# Full-width digits and Latin letters (２０１６) as ASCII; other full-width punctuation is left
# as the read step folded it, so existing keys do not move.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
# Characters a title key ignores: whitespace, quotes, brackets of every width, dashes and tildes
# (2016-2020 = 2016—2020 = 2016～2020). The first group is what keys ignored before the shell and
# width folding were added, so a title without those keeps its IRI.
_IGNORED = re.compile(r"[\s《》“”\"'（）()—\-－–]|[‘’「」『』〈〉【】\[\]〔〕{}<>‐‑‒―~～〜·・]")


def normalise_title(title: str) -> str:
    """The key of a cited document's title: the 关于印发…的通知 shell stripped, full-width digits
    and letters folded, whitespace, quotes, brackets and dashes dropped.

    >>> normalise_title("国务院办公厅关于印发全民科学素质行动计划纲要实施方案（2016—2020年）的通知")
    '全民科学素质行动计划纲要实施方案20162020年'
    >>> normalise_title("《全民科学素质行动计划纲要实施方案(2016-2020年)》")
    '全民科学素质行动计划纲要实施方案20162020年'
    >>> normalise_title(normalise_title("关于印发《X》的通知")) == normalise_title("X")
    True
    >>> normalise_title("健康中国行动（２０１９～２０３０年）")
    '健康中国行动20192030年'
    """
    text = title.translate(_FULL_WIDTH)
    shell = _SHELL.match(_IGNORED.sub("", text))
    if shell:
        text = shell.group(1)
    return _IGNORED.sub("", text)


def document_iri(*, doc_number: str | None, title: str | None) -> str:
    """A cited document: keyed by its 文号 when known, else by a hash of its normalised title
    (``normalise_title``), so every plan citing the same document shares one node.

    >>> document_iri(doc_number="国发〔2021〕9号", title="x")
    'https://w3id.org/policykg/id/document/国发〔2021〕9号'
    >>> document_iri(doc_number=None, title="《X（2016-2020年）》") == document_iri(doc_number=None, title="关于印发X(2016—2020年)的通知")
    True
    """
    if doc_number:
        return f"{ID}document/{segment(doc_number)}"
    return document_iri_for_key(normalise_title(title or ""))


def document_iri_for_key(key: str) -> str:
    """The title-keyed document IRI for an already normalised title (``normalise_title``)."""
    return f"{ID}document/t-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


# ---- the corpus as a dataset -----------------------------------------------------------------

CORPUS_GRAPH = f"{ID}graph/corpus"  # shared by documents (kg.corpus: regions, citations), rebuilt every build
VOID_GRAPH = f"{ID}graph/void"  # the dataset's own description (kg.void), in dumps
DATASET = f"{ID}dataset"  # the whole knowledge graph as a void:Dataset / dcat:Dataset
TARGETS_DATASET = f"{ID}dataset/targets"  # the targets as a qb:DataSet
TARGETS_STRUCTURE = f"{ID}dataset/targets/structure"  # its qb:DataStructureDefinition


def local_path(iri: str) -> str | None:
    """The server path of one of our instance IRIs (``/id/...``), or None for other IRIs.

    >>> local_path(agency_iri("530300", "市科协"))
    '/id/agency/530300/市科协'
    >>> local_path("http://www.wikidata.org/entity/Q148") is None
    True
    """
    return "/id/" + iri[len(ID):] if iri.startswith(ID) else None


def iri_for_path(path: str) -> str | None:
    """The instance IRI a request path names, or None if it is not under ``/id/``.

    ``path`` may be raw (percent-encoded, as browsers send CJK) or decoded; each segment is
    decoded and encoded again the way ``segment`` does, so both give the IRI the graph holds.
    (Pass the raw path where there is one: a decoded ``%2F`` cannot be told from a ``/``.)

    >>> iri_for_path("/id/agency/530300/%E5%B8%82%E7%A7%91%E5%8D%8F") == agency_iri("530300", "市科协")
    True
    >>> iri_for_path("/id/plan/a%20b") == plan_iri("a b.txt")
    True
    >>> iri_for_path("/sparql") is None
    True
    """
    from urllib.parse import unquote

    if not path.startswith("/id/"):
        return None
    parts = path[len("/id/"):].split("/")
    return ID + "/".join(segment(unquote(part, errors="strict")) for part in parts)
