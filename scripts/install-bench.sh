#!/usr/bin/env bash
# Install the benchmark baselines, only when missing: oauth2-mock-server (npm),
# pinned by flows/apps/bench/npm/package-lock.json, into that folder's
# node_modules (git-ignored). Needs node and npm (scripts/install-peers.sh
# installs them on Debian when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=flows/apps/bench/npm
stamp="$dir/node_modules/.sso-harness-lock"
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[install-bench] installing oauth2-mock-server (npm ci) into $dir/node_modules"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  echo "[install-bench] oauth2-mock-server is up to date"
fi
