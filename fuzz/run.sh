#!/usr/bin/env bash
# Runs the fuzz targets one after the other, each for FUZZ_SECONDS (default 60), one job
# at a time, and prints libFuzzer's execution count for each. Exits non-zero when a target
# finds a crash (the input is then in fuzz/artifacts/<target>/).
#
#   fuzz/run.sh [target...]            (default: every target)
#   FUZZ_SECONDS=1800 nice -n 19 fuzz/run.sh upgrade_structured
set -uo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(reference validate_bytes upgrade_bytes upgrade_structured release_arches structure)
mkdir -p logs
status=0
for target in "${targets[@]}"; do
  case "$target" in
    reference) seeds=seeds/reference max_len=512 ;;
    validate_bytes | upgrade_bytes | release_arches | structure) seeds=seeds/json max_len=8192 ;;
    *) seeds="seeds/$target" max_len=4096 ;;
  esac
  mkdir -p "corpus/$target"
  log="logs/$target.log"
  echo "fuzz: $target for ${seconds}s (log: fuzz/$log)"
  cargo +nightly fuzz run --sanitizer none "$target" "corpus/$target" "$seeds" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len="$max_len" \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "fuzz: $target: ${runs:-?} executions, exit $rc"
  if [ $rc -ne 0 ]; then
    grep -E 'panicked at|SUMMARY|Test unit written|ERROR' "$log" | head -20
    status=1
  fi
done
exit $status
