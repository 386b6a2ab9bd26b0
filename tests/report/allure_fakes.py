"""Stand-ins for the ``allure`` and ``npm`` commands (shell scripts), shared by the report and CLI tests.

The stand-in ``allure`` does what the real one does to the files the
harness cares about: ``generate -o OUT RESULTS`` writes ``OUT/index.html``
and copies ``RESULTS/history`` to ``OUT/history``; ``--single-file`` writes
only ``OUT/index.html``. Each call is logged to ``calls.log`` beside it.
"""

from __future__ import annotations

import stat
from pathlib import Path

__all__ = ["FAKE_ALLURE", "FAKE_NPM", "script"]

FAKE_ALLURE = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/calls.log"
[ "$1" = generate ] || exit 2
shift
single=no
while [ $# -gt 1 ]; do
  case "$1" in
    --clean) ;;
    --single-file) single=yes ;;
    -o) shift; out="$1" ;;
  esac
  shift
done
results="$1"
rm -rf "$out"; mkdir -p "$out"
if [ $single = yes ]; then echo "one file" > "$out/index.html"; exit 0; fi
echo "served" > "$out/index.html"
mkdir -p "$out/history"
[ -d "$results/history" ] && cp "$results/history/"*.json "$out/history/"
echo '[{"run": "new"}]' > "$out/history/history-trend.json"
"""

FAKE_NPM = """#!/bin/sh
PATH=/usr/bin:/bin  # the test's PATH holds only this script
# npm ci --prefix FOLDER ...: leave an allure command where npm would.
while [ $# -gt 0 ]; do [ "$1" = --prefix ] && folder="$2"; shift; done
mkdir -p "$folder/node_modules/.bin"
printf '#!/bin/sh\\necho 2.46.1\\n' > "$folder/node_modules/.bin/allure"
chmod +x "$folder/node_modules/.bin/allure"
"""


def script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path
