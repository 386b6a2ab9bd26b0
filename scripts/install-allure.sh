#!/usr/bin/env bash
# Install the Allure 2 command line that `sso-harness report` runs, and only what is missing:
#   Java:  Allure is a Java program; Debian's default-jre-headless is installed only when
#          no `java` is on PATH.
#   npm:   allure-commandline, pinned by flows/report/allure/package-lock.json, into
#          flows/report/allure/node_modules (git-ignored); reinstalled only when the
#          lock file changes. nodejs and npm come from Debian when absent.
# Idempotent: a second run changes nothing and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[install-allure] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "[install-allure] need root or sudo to run: $*" >&2; exit 1
  fi
}

apt_wanted=()
command -v java >/dev/null 2>&1 || apt_wanted+=(default-jre-headless)
command -v node >/dev/null 2>&1 || apt_wanted+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_wanted+=(npm)
if [ ${#apt_wanted[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_wanted[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_wanted[@]}"
else
  say "java, node and npm present ($(java -version 2>&1 | head -n1))"
fi

npm_dir=flows/report/allure
stamp="$npm_dir/node_modules/.sso-harness-lock"
want=$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$npm_dir/node_modules/.bin/allure" ]; then
  say "installing allure-commandline (npm ci) into $npm_dir/node_modules"
  npm ci --prefix "$npm_dir" --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
else
  say "allure-commandline is up to date in $npm_dir/node_modules"
fi
say "allure $("$npm_dir/node_modules/.bin/allure" --version)"
