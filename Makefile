# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-ja test-renamed test-classic serve docs bench load mutants clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock -e .
	$(PY) -m harness.browser --ensure
	touch $(STAMP)

# The acceptance scenarios against the embedded simulator, two at a time (RUN_WORKERS);
# reports in reports/ (cucumber JSON merged from the workers by portal_suite.cucumber).
RUN_WORKERS ?= 2
run: $(STAMP)
	mkdir -p reports
	$(PY) -m pytest tests/test_acceptance.py -n $(RUN_WORKERS) --gherkin-steps \
		--junitxml=reports/junit.xml --cucumberjson=reports/cucumber.json \
		--html=reports/report.html --self-contained-html \
		--tracing retain-on-failure --output reports/traces

# Everything: simulator unit tests, acceptance scenarios (en), gates; then the same
# scenarios against the Japanese portal, the renamed label catalog and the classic theme.
test: $(STAMP)
	$(PY) -m pytest -n 2
	$(MAKE) --no-print-directory test-ja test-renamed test-classic

# The acceptance scenarios against the portal in Japanese (profiles/ja.yaml), but the
# dollar arithmetic's examples (the yen ones stay: they are the Japanese formats).
test-ja: $(STAMP)
	$(PY) -m pytest tests/test_acceptance.py -n 2 -q --ui-profile ja -k "not todays_charge_for"

# The acceptance scenarios against the simulator served with profiles/renamed-catalog, but
# the price arithmetic's examples (the same screens as the ones kept, other amounts).
test-renamed: $(STAMP)
	$(PY) -m pytest tests/test_acceptance.py -n 2 -q --ui-profile renamed -k "not todays_charge_for"

# The whole acceptance suite against the simulator's classic theme (profiles/classic.yaml):
# other addresses, markup, money and dates, the same rules (SPEC §5.1).
test-classic: $(STAMP)
	$(PY) -m pytest tests/test_acceptance.py -n 2 -q --ui-profile classic

serve: $(STAMP)
	$(VENV)/bin/portal-sim serve

# The help article and its screenshots, shot by the scenarios (docs/source/ holds the words),
# in English (docs/) and Japanese (docs/ja/).
docs: $(STAMP)
	$(VENV)/bin/portal-sim docs
	$(VENV)/bin/portal-sim docs --locale ja

# Speed figures against their floors (issue #6); wrk from Debian for the load.
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; } || \
		{ echo "bench: install wrk (apt-get install wrk)"; exit 2; }
	$(PY) -m bench.run
	CUCUMBER_REPORTER=1 $(PY) -m pytest tests/test_cucumber_reporter.py -p no:cacheprovider -q

# Idle and slow sockets beside 20 active clients for 30 s (part 4 of make bench, alone).
load: $(STAMP)
	$(PY) -m bench.idle_load

# Plant each regression of bench/mutant_catalog.py in a copy of the repo and run the
# acceptance suite against it; prints the kill matrix (about 15 minutes).
mutants: $(STAMP)
	$(PY) -m bench.mutants

clean:
	rm -rf $(VENV) reports test-results
