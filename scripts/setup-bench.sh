#!/usr/bin/env bash
# The bench part of the setup: the benchmark baselines (oauth2-mock-server from npm), only when
# missing; `make bench` runs it. Needs the base part first (scripts/setup-base.sh: .venv) and
# node/npm (the base part's Allure install or scripts/setup-peers.sh brings them on Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-bench.sh
