#!/usr/bin/env bash
# Soak test: mixed traffic (product pages, listings, search, carts, whole orders; see
# bench/soak.lua) at about 80% of the measured capacity against a release build on SQLite with
# demo data, for SOAK_SECONDS (default 600). Prints, per minute, requests/s, p50/p99 latency,
# errors, orders placed and the server's RSS; then PASS/FAIL lines: no errors at all, and RSS
# growth after the first minute below 10%. The RSS checked leaves out the database file's
# pages that SQLite reads through its memory map (SQLITE_MMAP_MB, column db_map_mb): they are
# the system's file cache, shared and reclaimable, and grow with the database, not with a leak.
#
#   bench/soak.sh                          # 10 minutes
#   SOAK_SECONDS=120 bench/soak.sh         # 2 minutes
#   SOAK_LOAD=0.8 SOAK_THREADS=8 SOAK_PRODUCTS=3000 bench/soak.sh
#   SOAK_BIN=/path/to/etalase bench/soak.sh   # a binary built elsewhere
#
# wrk runs on the same machine as the server, with one connection per thread so that each
# thread can follow its cart through checkout. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TOTAL="${SOAK_SECONDS:-600}"
LOAD="${SOAK_LOAD:-0.8}"
THREADS="${SOAK_THREADS:-8}"
PRODUCTS="${SOAK_PRODUCTS:-3000}"
CALIBRATE="${SOAK_CALIBRATE_SECONDS:-20}"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }; }

WORK=$(mktemp -d)
# A private copy: another build in the same target folder cannot swap the binary mid-run.
# SOAK_BIN soaks a binary built elsewhere (another commit) instead of building this tree.
if [ -n "${SOAK_BIN:-}" ]; then
  cp "$SOAK_BIN" "$WORK/etalase"
else
  cargo build --release --quiet
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  cp "$TARGET_DIR/release/etalase" "$WORK/etalase"
fi
BIN="$WORK/etalase"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK" || true
}
trap cleanup EXIT

export DATA_DIR="$WORK/data" MEDIA_DIR="$WORK/data/media" RUST_LOG=warn
export DATABASE_URL="sqlite://$DATA_DIR/etalase.db"
# All the load comes from this one address: lift the per-client limits, which would otherwise
# answer most of it with 429. (Each order has a buyer of its own, so the unpaid cap stays.)
export CART_CHANGES_PER_MINUTE=10000000 ORDERS_PER_HOUR=10000000
mkdir -p "$DATA_DIR"
echo "seeding $PRODUCTS products..." >&2
"$BIN" seed --demo --products "$PRODUCTS" >&2
"$BIN" reindex >&2
# Orders must never fail for want of stock over the whole run.
python3 - "$DATA_DIR/etalase.db" "$WORK" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE products SET stock = 1000000 WHERE status = 'published'")
db.commit()
with open(sys.argv[2] + "/products", "w") as f:
    for pid, slug in db.execute("SELECT id, slug FROM products WHERE status = 'published' ORDER BY id LIMIT 2000"):
        f.write(f"{pid} {slug}\n")
EOF
printf '%s\n' kopi batik keripik madu sabun kursi lukisan tenun sendal kripik+pisang kopi+gayo \
  coffee honey meja+jati tas+anyaman dodol sambal bordir kain+songket rotan >"$WORK/queries"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORT="$PORT" WORKERS=2 "$BIN" serve --no-seed >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/" | grep -o 'href="/kategori/[a-z0-9-]*"' | sort -u | sed 's/href="//; s/"$//' >"$WORK/categories"
export SOAK_DATA="$WORK"
URL="http://127.0.0.1:$PORT"

run_wrk() { # seconds, per-thread rate (0: unpaced)
  SOAK_THREAD_RPS="$2" wrk -t"$THREADS" -c"$THREADS" -d"$1s" --timeout 10s -s bench/soak.lua "$URL"
}
field() { echo "$1" | grep '^RESULT' | tr ' ' '\n' | sed -n "s/^$2=//p"; }
rss_mb() { awk -v k="$1" '$1 == k":" {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }
# Resident pages of the database file's memory map (smaps: a mapping's header names the file).
db_map_mb() { awk '/^[0-9a-f]+-[0-9a-f]+ / { db = ($NF ~ /etalase\.db$/) } db && $1 == "Rss:" { kb += $2 } END { printf "%.1f", kb / 1024 }' "/proc/$SERVER/smaps"; }

# Capacity: the same mix as fast as it goes (after a warm-up).
run_wrk 5 0 >/dev/null
OUT=$(run_wrk "$CALIBRATE" 0)
CAPACITY=$(awk -v r="$(field "$OUT" requests)" -v d="$(field "$OUT" duration_us)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
TARGET=$(awk -v c="$CAPACITY" -v l="$LOAD" 'BEGIN { printf "%.0f", c * l }')
PER_THREAD=$(awk -v t="$TARGET" -v n="$THREADS" 'BEGIN { printf "%.3f", t / n }')
echo "capacity ${CAPACITY} req/s with this mix (p99 $(awk -v p="$(field "$OUT" p99_us)" 'BEGIN{printf "%.1f", p/1000}') ms); soaking at ${TARGET} req/s (${LOAD} of it) for ${SECONDS_TOTAL}s, ${THREADS} connections"

printf '%-6s %9s %8s %8s %7s %7s %9s %9s %9s\n' minute req/s p50_ms p99_ms errors orders rss_mb anon_mb db_map_mb
TOTAL_ERRORS=0
TOTAL_ORDERS=0
RSS_FIRST=""
RSS_LAST=""
RSS_MAX=0
LEFT="$SECONDS_TOTAL"
MINUTE=0
while [ "$LEFT" -gt 0 ]; do
  SLICE=$(( LEFT < 60 ? LEFT : 60 ))
  MINUTE=$((MINUTE + 1))
  OUT=$(run_wrk "$SLICE" "$PER_THREAD")
  ERRORS=$(( $(field "$OUT" errors) + $(field "$OUT" non2xx) + $(field "$OUT" flow_errors) + $(field "$OUT" lost) ))
  ORDERS=$(field "$OUT" orders)
  RSS_ALL=$(rss_mb VmRSS)
  ANON=$(rss_mb RssAnon)
  DB_MAP=$(db_map_mb)
  RSS=$(awk -v a="$RSS_ALL" -v m="$DB_MAP" 'BEGIN { printf "%.1f", a - m }')
  [ -z "$RSS_FIRST" ] && RSS_FIRST="$RSS"
  RSS_LAST="$RSS"
  RSS_MAX=$(awk -v a="$RSS_MAX" -v b="$RSS" 'BEGIN { print (b > a ? b : a) }')
  TOTAL_ERRORS=$((TOTAL_ERRORS + ERRORS))
  TOTAL_ORDERS=$((TOTAL_ORDERS + ORDERS))
  awk -v m="$MINUTE" -v r="$(field "$OUT" requests)" -v d="$(field "$OUT" duration_us)" \
      -v p50="$(field "$OUT" p50_us)" -v p99="$(field "$OUT" p99_us)" -v e="$ERRORS" -v o="$ORDERS" -v rss="$RSS_ALL" -v anon="$ANON" -v map="$DB_MAP" 'BEGIN {
    printf "%-6s %9.0f %8.2f %8.2f %7d %7d %9s %9s %9s\n", m, r / (d / 1e6), p50 / 1000, p99 / 1000, e, o, rss, anon, map }'
  if [ "$ERRORS" -gt 0 ]; then echo "$OUT" | grep -E '^FIRST_(ERROR|LOST)' || true; fi
  LEFT=$((LEFT - SLICE))
done

if ! kill -0 "$SERVER" 2>/dev/null; then
  echo "FAIL server: it stopped during the soak"; tail -20 "$WORK/server.log"; exit 1
fi
SERVER_ERRORS=$(grep -c -E '(ERROR|panicked)' "$WORK/server.log" || true)
GROWTH=$(awk -v a="$RSS_FIRST" -v b="$RSS_MAX" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
echo "orders placed: $TOTAL_ORDERS; server log errors: $SERVER_ERRORS; RSS without the database's mapped pages after minute 1: ${RSS_FIRST} MB, highest later: ${RSS_MAX} MB, at the end: ${RSS_LAST} MB"
STATUS=0
if [ "$TOTAL_ERRORS" -eq 0 ] && [ "$SERVER_ERRORS" -eq 0 ]; then
  echo "PASS errors: 0"
else
  echo "FAIL errors: $TOTAL_ERRORS in traffic, $SERVER_ERRORS in the server log"; STATUS=1
fi
if awk -v g="$GROWTH" 'BEGIN { exit !(g < 10) }'; then
  echo "PASS rss (without the database's mapped pages): +${GROWTH}% after the first minute (limit 10%)"
else
  echo "FAIL rss (without the database's mapped pages): +${GROWTH}% after the first minute (limit 10%)"; STATUS=1
fi
exit "$STATUS"
