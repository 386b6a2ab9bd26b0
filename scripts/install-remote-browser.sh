#!/usr/bin/env bash
# Install the Playwright browser server of the remote-browser test (e2e/remote/), only when
# missing: playwright-core from npm, pinned by e2e/remote/playwright_server/package-lock.json
# to the version of the Python playwright package's driver (the two speak one protocol
# version), into the tools folder's playwright-server/ (.cache/tools/ in a checkout, or
# $SSO_HARNESS_TOOLS; see flows/tools_dir.py), next to a copy of server.mjs. It drives
# Debian's Chromium; Playwright's own browsers are never downloaded. Needs node and npm
# (scripts/install-allure.sh brings them on Debian) and .venv (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${SSO_HARNESS_PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "[install-remote-browser] no $PY: run scripts/setup.sh first (it creates .venv)" >&2; exit 1
fi
driver=$("$PY" - <<'PY'
import json, pathlib, playwright
print(json.loads((pathlib.Path(playwright.__file__).parent / "driver/package/package.json").read_text())["version"])
PY
)
pinned=$(node -p 'require("./e2e/remote/playwright_server/package.json").dependencies["playwright-core"]')
if [ "$driver" != "$pinned" ]; then
  echo "[install-remote-browser] warning: playwright-core $pinned is pinned, but the Python playwright driver is $driver;" \
       "update e2e/remote/playwright_server/package.json and its lock file" >&2
fi
# Name and files must match e2e/remote/server.py (TOOL, server.mjs).
"$PY" -m sso_harness.tools_dir npm-install playwright-server e2e/remote/playwright_server server.mjs \
  --expect node_modules/playwright-core/package.json
