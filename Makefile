# The two commands a user needs:
#   make serve   — set up, build the bundled plans into var/store, serve SPARQL on :7878
#   make test    — set up (incl. chromium for browser tests) and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml package.json 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: install serve build test browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,dask]'
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; fi
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

build: install
	$(BIN)/kg build

serve: build
	$(BIN)/kg serve

# Browser tests need Debian's chromium and a CJK font; install them when missing.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi || \
	  { apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

test: install browser
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/build_bench.py

clean:
	rm -rf var .pytest_cache
