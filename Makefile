# The two commands of the README: `make demo` and `make test`. Each creates .venv if missing.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.crosswire-installed

.PHONY: demo test test-postgres bench clean-venv lock

# Dependencies come from requirements.lock: the versions of constraints.txt with the sha256 of every file PyPI holds for
# them; pip refuses any other file. pip 25.3 first: older pips refuse the hashed lock over an extra (lxml[html_clean]).
# crosswire itself is then installed editable without dependencies (they are all in the lock).
$(STAMP): pyproject.toml constraints.txt requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==25.3"
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/crosswire demo

test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(PY) -m pytest

# The PostgreSQL tests alone, against a throwaway server (.ci/with-postgres installs and starts one).
test-postgres: $(STAMP)
	.ci/with-postgres $(PY) -m pytest tests/test_postgres.py

bench: $(STAMP)
	$(PY) bench/aeb.py && $(PY) bench/dates.py && $(PY) bench/train_lines.py && $(PY) bench/lines.py && $(PY) bench/throughput.py && $(PY) bench/metadata.py && $(PY) -m bench.train_stories && $(PY) bench/stories.py && $(PY) bench/semeval.py && $(PY) bench/statements.py && $(PY) bench/web.py && $(PY) -m bench.compare.speed && $(PY) -m bench.e2e

clean-venv:
	rm -rf $(VENV)

# Regenerate the hashed locks after a change to pyproject.toml or constraints.txt (needs uv: pip install uv==0.13.9):
# requirements.lock for `make demo` / `make test` (crosswire and its [test] extra), requirements-serve.lock for the
# container image (crosswire and the PostgreSQL driver). The versions are those of constraints.txt.
LOCK_FLAGS = -c constraints.txt --generate-hashes --universal --python-version 3.11 --index-url https://pypi.org/simple \
	--custom-compile-command "make lock" --quiet
lock:
	uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -o requirements.lock
	echo "psycopg[binary]" | uv pip compile pyproject.toml - $(LOCK_FLAGS) -o requirements-serve.lock
