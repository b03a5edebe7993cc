#!/usr/bin/env bash
# Oversight benchmark (issue 15): seeds 50,000 products in 600 units and about 200,000 paid
# order lines spread over the last year (`etalase seed-orders`: straight into the database in
# one transaction, bypassing checkout), rolls every day up once and refreshes the oversight
# dashboard's per-unit snapshot (`etalase rollup` does both), then prints
#   - the time the roll-up of one day takes (`etalase rollup --from DAY --to DAY`, a day in
#     the middle of the data, run BENCH_ROLLUP_RUNS times; the median), target <= 1 s, and
#     the time the snapshot refresh that follows it took (for information);
#   - p50 (and p90) of /dampak and of /kelola/pantau (the oversight dashboard, signed in as an
#     administrator; left out with a line saying so while that route answers 404), each asked
#     BENCH_REQUESTS times one after another after a warm-up, with the page cache off, so
#     every request renders the page; target <= 200 ms.
# Ends with PASS/FAIL lines and exits 1 on any FAIL.
#
#   bench/oversight.sh                                   # SQLite (default)
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres bench/oversight.sh
#   BENCH_BIN=target/release/etalase BENCH_LINES=50000 bench/oversight.sh
set -euo pipefail
if [ -n "${BENCH_BIN:-}" ]; then BENCH_BIN=$(realpath "$BENCH_BIN"); fi
cd "$(dirname "$0")/.."

PRODUCTS="${BENCH_PRODUCTS:-50000}"
UNITS="${BENCH_UNITS:-600}"
LINES="${BENCH_LINES:-200000}"
DAYS="${BENCH_DAYS:-365}"
REQUESTS="${BENCH_REQUESTS:-40}"
ROLLUP_RUNS="${BENCH_ROLLUP_RUNS:-5}"
ROLLUP_LIMIT_S=1
PAGE_LIMIT_MS=200
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
else
  cargo build --release --quiet
  BIN=target/release/etalase
fi
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${BENCH_PG_URL:-}" ]; then
  DB="bench_oversight"
  psql -q "$BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
  export DATABASE_URL="${BENCH_PG_URL%/*}/$DB"
  export SESSION_KEY="${SESSION_KEY:-$(python3 -c 'import secrets; print(secrets.token_hex(64))')}"
else
  export DATABASE_URL="sqlite://$WORK/data/etalase.db"
fi
export DATA_DIR="$WORK/data" MEDIA_DIR="$WORK/media" RUST_LOG=warn
mkdir -p "$DATA_DIR"

echo "== seeding $PRODUCTS products in $UNITS units, then $LINES order lines over $DAYS days" >&2
"$BIN" seed --demo --products "$PRODUCTS" --units "$UNITS" >&2
"$BIN" seed-orders --lines "$LINES" --days "$DAYS" >&2
echo "== rolling every day up once, refreshing the oversight snapshot" >&2
"$BIN" rollup >&2

# A day in the middle of the data, in WIB (UTC+7).
DAY=$(date -u -d "@$(( $(date +%s) + 7 * 3600 - DAYS / 2 * 86400 ))" +%F)
: >"$WORK/rollup.times"
: >"$WORK/snapshot.times"
for _ in $(seq "$ROLLUP_RUNS"); do
  "$BIN" rollup --from "$DAY" --to "$DAY" >"$WORK/rollup.out"
  sed -n 's/^rolled up .* in \([0-9.]*\)s$/\1/p' "$WORK/rollup.out" >>"$WORK/rollup.times"
  sed -n 's/^oversight snapshot .*(took \([0-9.]*\) seconds)$/\1/p' "$WORK/rollup.out" >>"$WORK/snapshot.times"
done
ROLLUP_S=$(sort -n "$WORK/rollup.times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
SNAPSHOT_S=$(sort -n "$WORK/snapshot.times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
ROWS=$("$BIN" rollup --from "$DAY" --to "$DAY" | sed -n 's/.*: \([0-9]*\) unit-day rows.*/\1/p')

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
EMAIL="bench.admin@kemenimipas.go.id"
PASSWORD="bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
echo "$PASSWORD" | "$BIN" user create --email "$EMAIL" --name "Bench Admin" --role admin >&2
# Web only (no roll-up job in the measured process) and no page cache: every request renders.
BASE_URL="$URL" PAGE_CACHE_SECONDS=0 PORT="$PORT" WORKERS=2 "$BIN" serve --no-seed --no-jobs \
  >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "$URL/health" >/dev/null && break; sleep 0.1; done
curl -fs "$URL/health" >/dev/null || { echo "the server did not start" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }

# Sign in as the administrator: the form's token, then the form, keeping the cookies.
JAR="$WORK/cookies"
TOKEN=$(curl -fs -c "$JAR" -b "$JAR" "$URL/masuk" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$TOKEN" \
  --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$URL/masuk"

# p50 and p90 in ms of PATH over REQUESTS requests (after 3 warm-up ones); "status N" when it
# does not answer 200.
measure() {
  local path=$1 status
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$URL$path")
  if [ "$status" != 200 ]; then echo "status $status"; return; fi
  for _ in 1 2; do curl -s -o /dev/null -b "$JAR" "$URL$path"; done
  for _ in $(seq "$REQUESTS"); do
    curl -s -o /dev/null -b "$JAR" -w '%{time_total}\n' "$URL$path"
  done | sort -n | awk '{ v[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)] }'
}

STATUS=0
printf '%-34s %s\n' "roll-up of one day ($DAY)" "${ROLLUP_S}s median of $ROLLUP_RUNS ($ROWS unit rows)"
printf '%-34s %s\n' "oversight snapshot refresh" "${SNAPSHOT_S}s median of $ROLLUP_RUNS"
if awk -v t="$ROLLUP_S" -v l="$ROLLUP_LIMIT_S" 'BEGIN { exit !(t <= l) }'; then
  echo "PASS roll-up: ${ROLLUP_S}s <= ${ROLLUP_LIMIT_S}s"
else
  echo "FAIL roll-up: ${ROLLUP_S}s > ${ROLLUP_LIMIT_S}s"; STATUS=1
fi
for path in /dampak /kelola/pantau; do
  OUT=$(measure "$path")
  case "$OUT" in
    "status 404")
      echo "$path answers 404: the oversight dashboard is not in this build, left out" ;;
    status*)
      echo "FAIL $path: $OUT"; STATUS=1 ;;
    *)
      read -r P50 P90 <<<"$OUT"
      printf '%-34s p50 %8.1f ms   p90 %8.1f ms   (%d requests)\n' "$path" "$P50" "$P90" "$REQUESTS"
      if awk -v t="$P50" -v l="$PAGE_LIMIT_MS" 'BEGIN { exit !(t <= l) }'; then
        echo "PASS $path: p50 ${P50} ms <= ${PAGE_LIMIT_MS} ms"
      else
        echo "FAIL $path: p50 ${P50} ms > ${PAGE_LIMIT_MS} ms"; STATUS=1
      fi ;;
  esac
done
exit "$STATUS"
