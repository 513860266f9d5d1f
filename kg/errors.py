"""One error family. Messages say what was wrong, where, and what would be right.

The CLI catches ``KgError`` in one place (``kg.cli.main``) and prints its message;
users never see a traceback for their own mistakes.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class for errors a user can act on."""


class DocumentError(KgError):
    """A document could not be read or parsed.

    >>> str(DocumentError("plans/a.txt", "not a text document (looks like a PDF)"))
    'plans/a.txt: not a text document (looks like a PDF)'
    """

    def __init__(self, path: str, reason: str, *, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # It crosses process boundaries (pool and Dask workers); the default exception
        # pickling calls cls(*args) with the message alone, which __init__ cannot take.
        return (_document_error, (self.path, self.reason, self.line))


def _document_error(path: str, reason: str, line: int | None) -> DocumentError:
    return DocumentError(path, reason, line=line)


class StoreError(KgError):
    """The store could not be opened, built or swapped."""


class QueryError(KgError):
    """A SPARQL query is malformed or not allowed (e.g. an update on a read-only endpoint)."""


class MappingTableError(KgError):
    """A curated table in ``mappings/`` is malformed."""
