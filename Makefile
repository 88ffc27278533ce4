# The two commands of the README: `make demo` and `make test`. Each creates .venv if missing.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.crosswire-installed

.PHONY: demo test bench clean-venv

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/crosswire demo

test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/aeb.py && $(PY) bench/dates.py && $(PY) bench/train_lines.py && $(PY) bench/lines.py && $(PY) bench/throughput.py && $(PY) bench/metadata.py && $(PY) -m bench.train_stories && $(PY) bench/stories.py && $(PY) bench/semeval.py && $(PY) bench/statements.py && $(PY) bench/web.py && $(PY) -m bench.compare.speed && $(PY) -m bench.e2e

clean-venv:
	rm -rf $(VENV)
