"""Read and normalise: bytes on disk → ``Text`` (decoded, simplified, pinyin stripped,
punctuation folded, offsets kept back to the raw string).

PLACEHOLDER until the reader lands: UTF-8 only, OpenCC t2s, nothing else.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import DocumentError
from .model import Text


def read_document(path: Path) -> Text:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror})") from exc
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), "not UTF-8") from exc
    return normalise(raw, source=path.name, content_hash=hashlib.sha256(data).hexdigest())


def normalise(raw: str, *, source: str = "<string>", content_hash: str = "", encoding: str = "utf-8") -> Text:
    import opencc

    text = opencc.OpenCC("t2s").convert(raw)
    return Text(source=source, text=text, raw=raw, encoding=encoding, content_hash=content_hash)
