# Sourced by the setup scripts (not run): install the Debian packages that are missing, and only those.
# The caller defines say() (its own log prefix) before sourcing this file.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root or sudo to run: $*" >&2; exit 1
  fi
}

# apt_install_missing PKG...: apt-get install the PKGs dpkg does not report as installed.
apt_install_missing() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  elif [ $# -gt 0 ]; then
    say "Debian packages present: $*"
  fi
}
