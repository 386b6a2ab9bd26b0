#!/usr/bin/env bash
# Install what `make run` and `make test` need, and only what is missing: the base part
# (Chromium, xmlsec1, .venv with the package, Allure's command line) and the peers part
# (SimpleSAMLphp, oidc-provider for the real-peers lane), and the Playwright browser server of
# the remote-browser test (playwright-core from npm). The bench part is `make bench`'s.
#   scripts/setup-base.sh    what any run needs, a real tenant's included
#   scripts/setup-peers.sh   the real-peers lane
#   scripts/setup-bench.sh   the benchmark baselines
#   scripts/install-remote-browser.sh   the test's loopback Playwright server (e2e/remote/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-base.sh
bash scripts/setup-peers.sh
bash scripts/install-remote-browser.sh
