#!/usr/bin/env bash
# Fuzzes Assay's parsers with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   scripts/fuzz.sh                      # every target, 600 s each, one after another
#   scripts/fuzz.sh bundle_import 60     # one target (or `all`) for 60 s
#
# Targets (fuzz/fuzz_targets/, checks in fuzz/src/lib.rs): mlflow_responses, wandb_responses,
# fairness_names, bundle_import, bank_loading.
#
# CI does not run this: `cargo test -p assay-api --test fuzz_corpora` replays every file of
# fuzz/corpus/<target>/ through the same checks on every run, without cargo-fuzz or nightly.
# These long runs are done by hand. A run grows fuzz/corpus/<target>/ with the inputs that reach
# new code and then minimises it (`cargo fuzz cmin`, edges only), so commit the corpus afterwards.
# A crash stops its target, leaves the input in fuzz/artifacts/<target>/ and makes the script
# exit 1: fix the code under test, add a regression test to the crate, and copy the input to
# fuzz/regressions/<target>/ (replayed by the same test, never minimised away; each run also
# copies those inputs back into the corpus so the fuzzer starts from them).
#
# Stable Rust has no sanitizers, so the targets are built with `--sanitizer none` (panics,
# overflow checks and debug assertions still count as crashes). Installs cargo-fuzz if missing.
# Env: FUZZ_CODEGEN_UNITS (default 16: faster builds, slightly slower runs), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(mlflow_responses wandb_responses fairness_names bundle_import bank_loading)
target=${1:-all}
seconds=${2:-600}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: seconds must be a number" >&2; exit 2; }
if [ "$target" = all ]; then
  targets=("${ALL[@]}")
else
  [[ " ${ALL[*]} " == *" $target "* ]] || {
    echo "fuzz.sh: unknown target '$target' (one of: ${ALL[*]}, all)" >&2
    exit 2
  }
  targets=("$target")
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

options=(--sanitizer none --codegen-units "${FUZZ_CODEGEN_UNITS:-16}")
echo "== building the fuzz targets"
if [ "${#targets[@]}" -eq 1 ]; then
  nice -n 10 cargo fuzz build "${options[@]}" "${targets[0]}"
else
  nice -n 10 cargo fuzz build "${options[@]}"
fi

logs=fuzz/target/logs
mkdir -p "$logs"
summary=()
failed=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  if [ -d "fuzz/regressions/$t" ]; then cp -n "fuzz/regressions/$t"/* "fuzz/corpus/$t/" 2>/dev/null || true; fi
  before=$(find "fuzz/artifacts/$t" -type f | wc -l)
  log="$logs/$t.log"
  echo "== $t for ${seconds}s (log: $log)"
  start=$(date +%s)
  # One in-process worker (libFuzzer's default; `-jobs=1` would do the same in a child process
  # that logs to ./fuzz-0.log). -timeout: an input taking 10 s counts as a hang.
  status=0
  nice -n 10 cargo fuzz run "${options[@]}" "$t" -- -max_total_time="$seconds" \
    -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
  crashes=$(($(find "fuzz/artifacts/$t" -type f | wc -l) - before))
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    echo "!! $t: crash or failure (exit $status); inputs in fuzz/artifacts/$t/"
    tail -n 30 "$log"
  else
    # Edges only (no hit counters): keeps the corpus small enough to commit and replay in CI.
    nice -n 10 cargo fuzz cmin "${options[@]}" "$t" -- -use_counters=0 >"$logs/$t.cmin.log" 2>&1 ||
      echo "   (cmin failed, corpus left as it is; see $logs/$t.cmin.log)"
  fi
  files=$(find "fuzz/corpus/$t" -type f | wc -l)
  size=$(($(find "fuzz/corpus/$t" -type f -exec cat {} + | wc -c) / 1024))
  line="$t: ${execs:-?} executions in ${elapsed}s, ${crashes} crashes, corpus ${files} files / ${size} KiB"
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
