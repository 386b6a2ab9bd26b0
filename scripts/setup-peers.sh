#!/usr/bin/env bash
# The peers part of the setup: real third-party peers for the peers lane (SimpleSAMLphp with PHP
# and Apache's auth modules from Debian, oidc-provider from npm), only when missing. A real-tenant
# run does not need them. Needs the base part first (scripts/setup-base.sh: .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-peers.sh
