#!/usr/bin/env bash
# Soak the e2e suite under CPU load: run `pytest e2e -n 2 -p no:randomly` K times in a row
# (default 20) while a CPU-heavy process keeps every core busy, with no retries, and print
# the pass count K/K. Exit status 0 only when every run passed.
#
#   scripts/soak_e2e.sh [K]          # or SOAK_RUNS=K; extra pytest arguments in SOAK_PYTEST_ARGS
#
# The load is `stress-ng --cpu N` when Debian's stress-ng is installed (it is not installed
# by this script), else one Python busy loop per core (N = nproc). It is stopped at exit,
# whatever the exit. Each run's output goes to reports/soak/run-<i>.log; reports/ is
# left as the last run wrote it. Issue #15 item 6: the closing note gives this count.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-${SOAK_RUNS:-20}}"
case "$runs" in ''|*[!0-9]*|0) echo "usage: $0 [K>=1]" >&2; exit 2 ;; esac
logs=reports/soak
mkdir -p "$logs"

load_pids=()
stop_load() {
  # Only the processes this script started, by their id.
  if [ "${#load_pids[@]}" -gt 0 ]; then
    kill "${load_pids[@]}" 2>/dev/null || true
    wait "${load_pids[@]}" 2>/dev/null || true
  fi
  load_pids=()
}
trap stop_load EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cores="$(nproc)"
if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$cores" --quiet &
  load_pids+=("$!")
  load="stress-ng --cpu $cores"
else
  for _ in $(seq "$cores"); do
    .venv/bin/python -c 'while True: pass' &
    load_pids+=("$!")
  done
  load="$cores Python busy loop(s)"
fi
echo "[soak] load: $load (pids ${load_pids[*]}); $runs run(s) of pytest e2e -n 2 -p no:randomly"

passed=0
for i in $(seq "$runs"); do
  started=$SECONDS
  # shellcheck disable=SC2086  # SOAK_PYTEST_ARGS is a word list on purpose
  if .venv/bin/pytest e2e -n 2 -p no:randomly ${SOAK_PYTEST_ARGS:-} >"$logs/run-$i.log" 2>&1; then
    passed=$((passed + 1)); outcome=passed
  else
    outcome="FAILED (see $logs/run-$i.log)"
  fi
  summary="$(grep -E '^=+ .*(passed|failed|error).* =+$' "$logs/run-$i.log" | tail -n 1 || true)"
  echo "[soak] run $i/$runs: $outcome in $((SECONDS - started))s ${summary}"
done

stop_load
echo "[soak] e2e passed $passed/$runs under load ($load)"
[ "$passed" -eq "$runs" ]
