# `make run` and `make test` work on a fresh Debian machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: deps install build run serve-nginx test test-fast bench i18n-update docs-graph clean

# Debian packages (fonts, Pango, Chromium for browser tests); apt-get runs only if one is missing.
deps:
	@sh scripts/install-debian-packages.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: deps $(VENV)/.installed

build: install
	$(BIN)/flask --app app mai build

# Serve as the Procfile does (gunicorn), on 127.0.0.1 unless MAI_HOST says otherwise.
run: build
	MAI_HOST=$${MAI_HOST:-127.0.0.1} PATH="$(CURDIR)/$(BIN):$$PATH" sh -c "$$(sed -n 's/^web: //p' Procfile)"

# Serve as in production: nginx on PORT (8080 unless you set PORT) in front of gunicorn on
# 127.0.0.1:PORT+1; see deploy/nginx.conf.template. ($(origin PORT) is "file" when only the
# 8000 default above set it.)
serve-nginx: build
	PORT=$(if $(filter file,$(origin PORT)),8080,$(PORT)) sh scripts/serve-nginx.sh

# lint-imports checks the structure's walls (pyproject.toml's [tool.importlinter], docs/architecture.md).
test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n auto

# The quick part while working (under a minute): no browser, no PDF sweeps, no servers. CI runs `make test`.
test-fast: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n auto -m "not browser and not pdf and not slow"

bench: build
	$(BIN)/python bench/run.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/pdf_flood.py
	$(BIN)/python bench/nginx.py
	$(BIN)/python bench/front_surge.py

i18n-update: install
	$(BIN)/flask --app app mai i18n update

# The house as an import graph (docs/architecture.md): pydeps reads the imports, Graphviz draws them,
# one box per package (builder, web, pdf) and per shared module, arrows from importer to imported.
docs-graph: $(VENV)/.docs-installed
	@sh scripts/install-debian-packages.sh graphviz
	$(BIN)/pydeps mai_guides --noshow --no-config --max-bacon 0 --only mai_guides --max-module-depth 2 \
		--reverse --rankdir TB -T svg -o docs/architecture-imports.svg

$(VENV)/.docs-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,docs]'
	touch $@

clean:
	rm -rf $(VENV) instance
