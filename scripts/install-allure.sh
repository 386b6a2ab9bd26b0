#!/usr/bin/env bash
# Install the Allure 2 command line that `sso-harness report` runs, and only what is missing:
#   Java:  Allure is a Java program; Debian's default-jre-headless is installed only when
#          no `java` is on PATH.
#   npm:   allure-commandline, pinned by flows/report/allure/package-lock.json, into
#          the tools folder's allure/ (.cache/tools/ in a checkout, or $SSO_HARNESS_TOOLS;
#          see flows/tools_dir.py); reinstalled only when the lock file changes.
#          nodejs and npm come from Debian when absent. Needs .venv (scripts/setup.sh).
# Part of scripts/setup-base.sh. A pip-installed harness needs no script: `sso-harness report`
# installs the command line itself when Java and npm are there (flows/report/html/allure_cli.py).
# Idempotent: a second run changes nothing and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[install-allure] %s\n' "$*"; }

source scripts/apt-missing.sh  # after the cd above: paths are from the repository root

apt_wanted=()
command -v java >/dev/null 2>&1 || apt_wanted+=(default-jre-headless)
command -v node >/dev/null 2>&1 || apt_wanted+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_wanted+=(npm)
apt_install_missing "${apt_wanted[@]}"

PY=${SSO_HARNESS_PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "[install-allure] no $PY: run scripts/setup.sh first (it creates .venv)" >&2; exit 1
fi
# The name must match flows/report/html/allure_cli.py (ALLURE_TOOL).
"$PY" -m sso_harness.tools_dir npm-install allure flows/report/allure --expect node_modules/.bin/allure
say "allure $("$("$PY" -m sso_harness.tools_dir path allure)/node_modules/.bin/allure" --version)"
