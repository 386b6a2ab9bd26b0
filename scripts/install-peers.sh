#!/usr/bin/env bash
# Install the real peers of the peers lane, and only what is missing:
#   Debian: simplesamlphp (1.19 on Debian 12) and the PHP it runs on
#           (php-cli for `php -S`, php-xml for DOM/XMLSecLibs, php-mbstring,
#           php-sqlite3 for its data store: the replay cache of its SP);
#           apache2 with libapache2-mod-auth-mellon (SAML SP) and
#           libapache2-mod-auth-openidc (OIDC relying party), run as private
#           instances on 127.0.0.1 (flows/apps/peers/apache_peer.py);
#           nodejs and npm only when no `node` is on PATH.
#   npm:    oidc-provider, pinned by flows/apps/peers/oidc_provider/package-lock.json,
#           into the tools folder's oidc-provider/ (.cache/tools/ in a checkout, or
#           $SSO_HARNESS_TOOLS; see flows/tools_dir.py), next to a copy of server.mjs;
#           reinstalled only when the lock file changes. Needs .venv (scripts/setup.sh).
# Idempotent: a second run changes nothing and says so.
#
# Note: the harness never uses the system Apache (/etc/apache2, port 80): it
# serves SimpleSAMLphp with `php -S` and starts its own Apache instances with
# a generated configuration. On a machine whose init starts services on
# install, disable it with `systemctl disable --now apache2` if port 80 matters.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[install-peers] %s\n' "$*"; }

source scripts/apt-missing.sh  # after the cd above: paths are from the repository root

apt_wanted=(simplesamlphp php-cli php-xml php-mbstring php-sqlite3
            apache2 libapache2-mod-auth-mellon libapache2-mod-auth-openidc)
command -v node >/dev/null 2>&1 || apt_wanted+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_wanted+=(npm)

apt_install_missing "${apt_wanted[@]}"

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  say "warning: node $(node --version) is older than 20; oidc-provider 9 needs Node.js 20 or newer" >&2
fi

PY=${SSO_HARNESS_PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "[install-peers] no $PY: run scripts/setup.sh first (it creates .venv)" >&2; exit 1
fi
# Name and files must match flows/apps/peers/install.py (OIDC_PROVIDER_TOOL, server.mjs).
"$PY" -m sso_harness.tools_dir npm-install oidc-provider flows/apps/peers/oidc_provider server.mjs
