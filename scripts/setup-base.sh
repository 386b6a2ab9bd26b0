#!/usr/bin/env bash
# The base setup: what any run of the harness needs, a real tenant's included, and only what is missing.
#   Debian packages: chromium (the browser Playwright drives), xmlsec1 (pysaml2's default
#   crypto backend), python3-venv where ensurepip is absent;
#   .venv with the package installed editable, reinstalled only when pyproject.toml changes;
#   Allure's command line for `sso-harness report` (scripts/install-allure.sh: Java, npm).
# The other parts: scripts/setup-peers.sh (the real-peers lane), scripts/setup-bench.sh (the
# benchmark baselines). scripts/setup.sh runs base and peers, what `make run` and `make test` need.
# A pip-installed harness needs the same Debian packages; examples/nightly.yml installs them
# (tests/apps/cli/test_nightly_templates.py checks the two lists agree).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup-base] %s\n' "$*"; }

source scripts/apt-missing.sh  # after the cd above: paths are from the repository root

PYTHON=${PYTHON:-python3}
apt_wanted=(chromium xmlsec1)
"$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_wanted+=(python3-venv)

apt_install_missing "${apt_wanted[@]}"

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.sso-harness-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing sso-harness (editable) and its dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$want" > "$stamp"
else
  say ".venv is up to date"
fi
# Allure's command line (npm, on the machine's Java) for `sso-harness report`.
bash scripts/install-allure.sh
mkdir -p reports
