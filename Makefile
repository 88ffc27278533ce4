# The two commands of the README: `make demo` and `make test`. Each creates .venv if missing.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.crosswire-installed

.PHONY: demo test test-postgres bench clean-venv

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/crosswire demo

test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(PY) -m pytest

# The PostgreSQL tests alone, against a throwaway server (.ci/with-postgres installs and starts one).
test-postgres: $(STAMP)
	.ci/with-postgres $(PY) -m pytest tests/test_postgres.py

bench: $(STAMP)
	$(PY) bench/aeb.py && $(PY) bench/dates.py && $(PY) bench/train_lines.py && $(PY) bench/lines.py && $(PY) bench/throughput.py && $(PY) bench/metadata.py && $(PY) -m bench.train_stories && $(PY) bench/stories.py && $(PY) bench/semeval.py && $(PY) bench/statements.py && $(PY) bench/web.py

clean-venv:
	rm -rf $(VENV)
