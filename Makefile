# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test serve docs bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock -e .
	$(PY) -m harness.browser --ensure
	touch $(STAMP)

# The acceptance scenarios against the embedded simulator; reports in reports/.
run: $(STAMP)
	$(PY) -m pytest tests/test_acceptance.py

# Everything: simulator unit tests, acceptance scenarios, gates.
test: $(STAMP)
	$(PY) -m pytest

serve: $(STAMP)
	$(VENV)/bin/portal-sim serve

clean:
	rm -rf $(VENV) reports test-results
