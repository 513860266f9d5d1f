"""The agency network (``kg network``, ``/network``).

PLACEHOLDER until the network module lands.
"""

from __future__ import annotations
