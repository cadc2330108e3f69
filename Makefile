# 法治 Fazhi — two commands on a fresh Linux machine with Python 3.11+:
#   make demo   venv + install + migrate + seed township's demo data + serve on http://127.0.0.1:8000
#   make test   the whole test suite (installs Debian's chromium, CJK fonts and faketime when missing)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"

demo: install
	$(BIN)/python -m fazhi.secret_key
	$(BIN)/fazhi migrate --noinput -v0
	$(BIN)/fazhi load_demo
	$(BIN)/fazhi collectstatic --noinput -v0
	$(MAKE) serve

serve:
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

test: install-test
	bash scripts/system_deps.sh
	BIN=$(BIN) bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check fazhi bench

clean:
	rm -rf $(VENV) data
