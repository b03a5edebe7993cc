#!/usr/bin/env bash
# The oversell race: 200 buyers at the last checkout step place their orders at the same
# moment for a product with 10 in stock, on SQLite and on PostgreSQL. Prints orders created,
# units sold, stock left, errors and place-order p50/p99; fails if anything was oversold.
#
#   bench/oversell.sh                 # both databases
#   BENCH_BUYERS=500 bench/oversell.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BUYERS="${BENCH_BUYERS:-200}"
STOCK="${BENCH_STOCK:-10}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release --quiet --example oversell
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export RUST_LOG=error DATA_DIR="$WORK" MEDIA_DIR="$WORK/media"

echo "== SQLite"
DATABASE_URL="sqlite://$WORK/race.db" target/release/examples/oversell "$BUYERS" "$STOCK"

echo "== PostgreSQL"
psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS etalase_race WITH (FORCE)" -c "CREATE DATABASE etalase_race" >/dev/null
DATABASE_URL="${PG_URL%/*}/etalase_race" target/release/examples/oversell "$BUYERS" "$STOCK"
psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS etalase_race WITH (FORCE)" >/dev/null
