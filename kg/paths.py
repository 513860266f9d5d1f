"""Where the project's data files live, found from the package, not the working directory."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAPPINGS_DIR = PROJECT_ROOT / "mappings"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
QUERIES_DIR = PROJECT_ROOT / "queries"
DOCUMENTS_DIR = PROJECT_ROOT / "documents"
CACHE_DIR = PROJECT_ROOT / "var" / "cache"  # jieba's dictionary cache and similar
