#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets: product CSV import, booth plan CSV, search
# parameters) for a fixed time each: 60 s, or FUZZ_SECONDS. Not part of CI.
#
#   bench/fuzz.sh                          # every target, 60 s each
#   FUZZ_SECONDS=600 bench/fuzz.sh booth_plan
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`rustup toolchain
# install nightly`; libFuzzer's instrumentation uses -Z flags). The corpus grows in
# fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET); a crash is saved in fuzz/artifacts/TARGET
# and stops the script with its reproduction command.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_EACH="${FUZZ_SECONDS:-60}"
TOOLCHAIN="${FUZZ_TOOLCHAIN:-nightly}"
cargo fuzz --help >/dev/null 2>&1 || { echo "cargo-fuzz is needed: cargo install cargo-fuzz" >&2; exit 1; }
rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1 || { echo "a $TOOLCHAIN toolchain is needed: rustup toolchain install $TOOLCHAIN" >&2; exit 1; }

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo "+$TOOLCHAIN" fuzz list)
  cargo "+$TOOLCHAIN" fuzz build
else
  for t in "${TARGETS[@]}"; do cargo "+$TOOLCHAIN" fuzz build "$t"; done
fi
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

STATUS=0
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t"
  [ -d "seeds/$t" ] && cp -n "seeds/$t"/* "corpus/$t/" 2>/dev/null || true
  echo "== $t for ${SECONDS_EACH}s"
  if cargo "+$TOOLCHAIN" fuzz run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 >"$LOGS/$t.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)|^#[0-9]+.*DONE' "$LOGS/$t.log" | tail -3
    echo "corpus: $(ls "corpus/$t" | wc -l) inputs; no crash"
  else
    STATUS=1
    echo "CRASH in $t:"; grep -E 'panicked|ERROR|Test unit written|cargo fuzz run' "$LOGS/$t.log" | head -10
  fi
done
exit "$STATUS"
