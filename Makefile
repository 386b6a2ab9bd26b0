# The two README commands:  make run   (main job on the embedded mocks)
#                            make test  (every test)
# Both install what is missing first (scripts/setup.sh), and nothing else.
PY := .venv/bin/python
REPORTS := reports

.PHONY: setup run test bench report clean

setup:
	@bash scripts/setup.sh

run: setup
	$(PY) -m sso_harness run --reports $(REPORTS)

test: setup
	$(PY) -m pytest --alluredir=$(REPORTS)/allure-results --junitxml=$(REPORTS)/junit.xml --sso-summary=$(REPORTS)/summary.md

report: setup
	$(PY) -m sso_harness report

clean:
	rm -rf $(REPORTS)/allure-results $(REPORTS)/playwright $(REPORTS)/*.xml $(REPORTS)/*.md

bench: setup
	@bash scripts/setup-bench.sh
	$(PY) -m sso_harness bench
