"""The SPARQL endpoint (``kg serve``).

PLACEHOLDER until the server lands.
"""

from __future__ import annotations


def serve(args) -> None:
    raise NotImplementedError
