#!/usr/bin/env bash
# Install the benchmark baselines, only when missing: oauth2-mock-server (npm),
# pinned by flows/apps/bench/npm/package-lock.json, into the tools folder's
# oauth2-mock-server/ (.cache/tools/ in a checkout, or $SSO_HARNESS_TOOLS; see
# flows/tools_dir.py), next to a copy of token_server.mjs. Needs node and npm
# (scripts/install-peers.sh installs them on Debian when absent) and .venv
# (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${SSO_HARNESS_PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "[install-bench] no $PY: run scripts/setup.sh first (it creates .venv)" >&2; exit 1
fi
# Name and files must match flows/apps/bench/token_endpoint.py (BASELINE_TOOL, token_server.mjs).
"$PY" -m sso_harness.tools_dir npm-install oauth2-mock-server flows/apps/bench/npm token_server.mjs
