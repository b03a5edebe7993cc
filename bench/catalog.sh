#!/usr/bin/env bash
# Catalogue benchmark: seeds 5,000 and 50,000 products, loads the category listing, the
# product pages and the home page (Indonesian and English) with wrk on loopback, and prints
# requests/s, p50/p99 latency, the server's CPU milliseconds per request and its peak RSS.
#
#   bench/catalog.sh                      # SQLite (default)
#   BENCH_SIZES="5000" bench/catalog.sh   # only one size
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres bench/catalog.sh   # PostgreSQL
#   BENCH_PG_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' …  # without TLS
#   BENCH_LISTING_EACH=1 bench/catalog.sh # also each listing sort, pages 1 and 8, alone
#   BENCH_BINS="/tmp/before /tmp/after" BENCH_ROUNDS=3 bench/catalog.sh
#                                         # compares builds on one seeded database, taking
#                                         # turns round after round (the machine's speed drifts)
# On PostgreSQL it also prints the database's CPU and statements per request, and the
# statements an idle server makes (BENCH_IDLE_SECONDS, default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${BENCH_SIZES:-5000 50000}"
DURATION="${BENCH_DURATION:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }; }

# BENCH_BIN measures a binary built elsewhere (for example an older commit) instead;
# BENCH_BINS several, which take turns for BENCH_ROUNDS rounds (default 1) on the same data.
if [ -n "${BENCH_BINS:-}" ]; then
  BINS="$BENCH_BINS"
elif [ -n "${BENCH_BIN:-}" ]; then
  BINS="$BENCH_BIN"
else
  cargo build --release --quiet
  BINS=target/release/etalase
fi
BIN="${BINS%% *}"   # seeds and indexes
ROUNDS="${BENCH_ROUNDS:-1}"
TICKS=$(getconf CLK_TCK)
WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's CPU: user + system ticks of every postgres process (the backends serving the
# app, and the server's own), summed; 0 on SQLite.
pg_ticks() {
  if [ -z "${BENCH_PG_URL:-}" ]; then echo 0; return; fi
  local total=0 pid
  for pid in $(pgrep -x postgres); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# Statements PostgreSQL ran (commits and rollbacks of the bench database count one per
# statement outside a transaction); 0 on SQLite.
pg_xacts() {
  if [ -z "${BENCH_PG_URL:-}" ]; then echo 0; return; fi
  psql -Atq "$BENCH_PG_URL" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'"
}

LABEL_HEAD=""; [ "$BINS" != "$BIN" ] && LABEL_HEAD="build"
printf '%-8s %-20s %-6s %10s %9s %9s %12s %9s %11s %10s  %s\n' products page cache req/s p50_ms p99_ms cpu_ms/req rss_mb db_cpu_ms xacts/req "$LABEL_HEAD"

for N in $SIZES; do
  DATA="$WORK/data-$N"
  mkdir -p "$DATA"
  if [ -n "${BENCH_PG_URL:-}" ]; then
    DB="bench_catalog_$N"
    psql -q "$BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
    # The bench database at the same server, with the URL's parameters (`?sslmode=disable`).
    PG_QUERY=""; case "$BENCH_PG_URL" in *\?*) PG_QUERY="?${BENCH_PG_URL#*\?}" ;; esac
    PG_BASE="${BENCH_PG_URL%%\?*}"
    export DATABASE_URL="${PG_BASE%/*}/$DB$PG_QUERY"
    export SESSION_KEY="${SESSION_KEY:-$(python3 -c 'import secrets; print(secrets.token_hex(64))')}"
  else
    export DATABASE_URL="sqlite://$DATA/etalase.db"
  fi
  export DATA_DIR="$DATA" MEDIA_DIR="$WORK/media" RUST_LOG=warn
  "$BIN" seed --demo --products "$N" >&2
  "$BIN" reindex >&2   # build the search index now, not inside the measured server
  # PostgreSQL as it is after autovacuum has passed over the new rows (visibility map set,
  # statistics fresh): otherwise autovacuum does it during the first measurements, and its CPU
  # is counted as the pages'.
  if [ -n "${BENCH_PG_URL:-}" ]; then
    psql -q "$DATABASE_URL" -c "VACUUM (ANALYZE)"
  fi

  # Each size is measured with the page cache on (the default, 5 s) and off.
  PATHS_MADE=""
  for CACHE in ${BENCH_PAGE_CACHE:-5 0}; do
  for ROUND in $(seq "$ROUNDS"); do
  for SERVED in $BINS; do
  LABEL=""; [ "$BINS" != "$BIN" ] && LABEL="  $(basename "$SERVED") (round $ROUND)"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PAGE_CACHE_SECONDS="$CACHE" PORT="$PORT" WORKERS=2 "$SERVED" serve --no-seed >"$WORK/server-$N.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

  # Paths: every category at several sorts and pages; 2,000 product pages.
  if [ -z "$PATHS_MADE" ]; then
  PATHS_MADE=1
  curl -fs "http://127.0.0.1:$PORT/" | grep -o 'href="/kategori/[a-z0-9-]*"' | sort -u | sed 's/href="//; s/"$//' >"$WORK/cats"
  : >"$WORK/listing.paths"
  while read -r c; do
    for s in popular newest price_asc price_desc; do
      for p in 1 2 3 5 8; do echo "$c?sort=$s&page=$p" >>"$WORK/listing.paths"; done
    done
  done <"$WORK/cats"
  "$BIN" bench-paths --products 2000 >"$WORK/product.paths"
  printf '/\n/en/\n' >"$WORK/home.paths"
  KINDS="listing product home"
  # BENCH_LISTING_EACH=1: also each sort alone on the pages of BENCH_LISTING_PAGES (default
  # "1 8"), every category.
  if [ -n "${BENCH_LISTING_EACH:-}" ]; then
    for s in popular newest price_asc price_desc; do
      for p in ${BENCH_LISTING_PAGES:-1 8}; do
        sed "s|\$|?sort=$s\&page=$p|" "$WORK/cats" >"$WORK/listing-$s-p$p.paths"
        KINDS="$KINDS listing-$s-p$p"
      done
    done
  fi
  fi

  for KIND in $KINDS; do
    PATHS_FILE="$WORK/$KIND.paths" wrk -t1 -c"$CONNECTIONS" -d2s -s bench/paths.lua "http://127.0.0.1:$PORT" >/dev/null # warm-up
    BEFORE=$(cpu_ticks "$SERVER"); PG_BEFORE=$(pg_ticks); XACT_BEFORE=$(pg_xacts)
    OUT=$(PATHS_FILE="$WORK/$KIND.paths" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/paths.lua "http://127.0.0.1:$PORT")
    AFTER=$(cpu_ticks "$SERVER"); PG_AFTER=$(pg_ticks); XACT_AFTER=$(pg_xacts)
    LINE=$(echo "$OUT" | grep '^RESULT')
    eval "$(echo "$LINE" | sed 's/^RESULT //')"
    RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
    awk -v n="$N" -v k="$KIND" -v c="${CACHE}s" -v r="$requests" -v d="$duration_us" -v p50="$p50_us" -v p99="$p99_us" \
        -v cpu=$((AFTER - BEFORE)) -v t="$TICKS" -v rss="$RSS" -v e="$errors" -v bad="$non2xx" \
        -v pg=$((PG_AFTER - PG_BEFORE)) -v xa=$((XACT_AFTER - XACT_BEFORE)) -v l="$LABEL" 'BEGIN {
      printf "%-8s %-20s %-6s %10.0f %9.2f %9.2f %12.3f %9.1f %11.3f %10.1f", n, k, c, r / (d / 1e6), p50 / 1000, p99 / 1000, (cpu * 1000 / t) / r, rss / 1024, (pg * 1000 / t) / r, xa / r
      if (e + bad > 0) printf "  (errors %d, non-2xx %d)", e, bad
      printf "%s\n", l }'
  done
  # On PostgreSQL, the idle server: statements its database ran while nobody asked anything
  # (the outbox workers and timers alone). It starts 15 s after the last request: an idle
  # PostgreSQL backend reports its counts up to 10 s late.
  IDLE="${BENCH_IDLE_SECONDS:-60}"
  if [ -n "${BENCH_PG_URL:-}" ] && [ "$IDLE" -gt 0 ]; then
    sleep 15
    XACT_BEFORE=$(pg_xacts); BEFORE=$(cpu_ticks "$SERVER")
    sleep "$IDLE"
    XACT_AFTER=$(pg_xacts); AFTER=$(cpu_ticks "$SERVER")
    awk -v n="$N" -v c="${CACHE}s" -v s="$IDLE" -v xa=$((XACT_AFTER - XACT_BEFORE)) -v cpu=$((AFTER - BEFORE)) -v t="$TICKS" -v l="$LABEL" 'BEGIN {
      printf "%-8s %-20s %-6s idle %d s: %d statements (%.2f per 10 s), app CPU %.0f ms%s\n", n, "idle", c, s, xa, xa * 10 / s, cpu * 1000 / t, l }'
  fi
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  done
  done
  done
done
