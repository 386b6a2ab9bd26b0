#!/usr/bin/env bash
# The bench part of the setup: the benchmark baselines (oauth2-mock-server from npm), only when
# missing; `make bench` runs it. Needs the base part first (scripts/setup-base.sh: .venv) and
# node/npm (the base part's Allure install or scripts/setup-peers.sh brings them on Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-bench.sh
# What every fleet start would otherwise make on the spot, made ahead of time so the start-up
# measure sees a machine's steady state: the RSA key pool and pysaml2's built schema validator
# (both in the tools folder; a start fills them too, see mocks/fleet_start.py).
PY=${SSO_HARNESS_PYTHON:-.venv/bin/python}
"$PY" -m sso_harness.mocks.base.key_pool fill
"$PY" -c "from sso_harness.mocks.saml.schema_cache import import_pysaml2_schema as i; print('[setup-bench] pysaml2 schema:', i())"
