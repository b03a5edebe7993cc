#!/usr/bin/env bash
# Several instances on one machine, without Docker: a fresh PostgreSQL database, a live
# Meilisearch, a real SMTP server (aiosmtpd writing to a Maildir), demo data of about 630 units,
# two web instances (`etalase serve --no-jobs`) and one worker (`etalase worker`), all with the
# same SESSION_KEY, DATABASE_URL, MEILI_URL/MEILI_MASTER_KEY and SMTP_URL. Then:
#
#  1. SCALE_SECONDS (60) of mixed load through both instances with wrk (bench/scale.lua, one
#     wrk per instance): browsing 80%, search 15%, whole orders 5% of visitor actions, orders
#     through the real forms (cart, contact, shipping page, review, place with the form's
#     idempotency key). Prints requests/s, p50/p99 and errors (must be 0, server logs included).
#     Halfway, a unit's staff account signs in on A and changes a product's price through the
#     product form; B's product page is asked every 50 ms until it shows the new price (≤ 1 s).
#  2. SCALE_KILL_SECONDS (30) of buyers placing orders (bench/scale_client.py, Python standard
#     library) through A and B while wrk browses; A gets `kill -9` after SCALE_KILL_AT (10) s.
#     A request that fails goes to B with the same cookies and form (same idempotency key).
#     The orders in the database must equal those the buyers were told were placed: none lost,
#     none twice. Then every order's mail must be in the Maildir exactly once.
#
# Prints PASS/FAIL per check; exits 1 on any FAIL.
#
#   bench/scale.sh
#   BENCH_BIN=/path/to/etalase bench/scale.sh       # a binary built elsewhere (else cargo builds)
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres MEILI_BIN=../shared/bin/meilisearch bench/scale.sh
#   SCALE_SECONDS=120 SCALE_CONNECTIONS=8 SCALE_BUYERS=16 bench/scale.sh
#   PAGE_CACHE_SECONDS=0 bench/scale.sh              # without the per-instance page cache
#   SCALE_KEEP=1 bench/scale.sh                      # keep the logs, Maildir and database
#
# Everything listens on 127.0.0.1 only. The per-client limits are lifted (all load comes from
# one address) and stock is raised so no order fails for want of it, as in bench/soak.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB_NAME="${SCALE_DB:-bench_scale}"
LOAD_SECONDS="${SCALE_SECONDS:-60}"
CONNECTIONS="${SCALE_CONNECTIONS:-4}"
PRODUCTS="${SCALE_PRODUCTS:-7500}"
UNITS="${SCALE_UNITS:-630}"
KILL_SECONDS="${SCALE_KILL_SECONDS:-30}"
KILL_AT="${SCALE_KILL_AT:-10}"
BUYERS="${SCALE_BUYERS:-8}"
MAIL_WAIT="${SCALE_MAIL_WAIT:-300}"
PROPAGATION_LIMIT=1
MEILI_BIN="${MEILI_BIN:-../shared/bin/meilisearch}"

command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }; }
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  echo "== installing aiosmtpd" >&2
  python3 -m pip install --quiet aiosmtpd
fi
if ! pg_isready -d "$PG_URL" -t 10 >/dev/null; then
  echo "PostgreSQL is unreachable at $PG_URL (set BENCH_PG_URL)" >&2
  exit 1
fi
if ! [ -x "$MEILI_BIN" ]; then
  echo "no Meilisearch at $MEILI_BIN (set MEILI_BIN=/path/to/meilisearch)" >&2
  exit 1
fi
MEILI_BIN="$(cd "$(dirname "$MEILI_BIN")" && pwd)/$(basename "$MEILI_BIN")"

WORK=$(mktemp -d)
PIDS=()
DB_CREATED=
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${SCALE_KEEP:-}" ]; then
    echo "kept: $WORK (logs, Maildir) and database $DB_NAME" >&2
  else
    if [ -n "$DB_CREATED" ]; then
      psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary: another build cannot swap it mid-run.
BIN_FROM="${SCALE_BIN:-${BENCH_BIN:-}}"
if [ -n "$BIN_FROM" ]; then
  cp "$BIN_FROM" "$WORK/etalase"
else
  cargo build --release --quiet
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  cp "$TARGET_DIR/release/etalase" "$WORK/etalase"
fi
BIN="$WORK/etalase"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
secret_hex() { python3 -c "import secrets; print(secrets.token_hex($1))"; }
# wait_http URL SECONDS PID NAME: until URL answers 2xx; fails, with the log, if NAME stops.
wait_http() {
  local tries=$(( $2 * 10 ))
  while [ "$tries" -gt 0 ]; do
    curl -fs --max-time 2 -o /dev/null "$1" && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$4 stopped while starting; the end of $WORK/$4.log:" >&2
      tail -20 "$WORK/$4.log" >&2
      exit 1
    fi
    sleep 0.1
    tries=$((tries - 1))
  done
  echo "$1 did not answer within $2 s; the end of $WORK/$4.log:" >&2
  tail -20 "$WORK/$4.log" >&2
  exit 1
}
STATUS=0
verdict() { # PASS|FAIL text
  echo "$1 $2"
  [ "$1" = PASS ] || STATUS=1
}
log_errors() { cat "$@" 2>/dev/null | grep -c -E '(ERROR|panicked)' || true; }

MEILI_PORT=$(free_port)
SMTP_PORT=$(free_port)
PORT_A=$(free_port)
PORT_B=$(free_port)
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"

# A fresh database.
DB_URL="${PG_URL%/*}/$DB_NAME"
psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" >/dev/null
DB_CREATED=1

# A live Meilisearch on a fresh folder (run from it: its dump and snapshot folders land there).
MEILI_KEY=$(secret_hex 16)
mkdir -p "$WORK/meili"
(cd "$WORK/meili" && exec "$MEILI_BIN" --db-path "$WORK/meili/data.ms" --http-addr "127.0.0.1:$MEILI_PORT" \
  --master-key "$MEILI_KEY" --no-analytics) >"$WORK/meili.log" 2>&1 &
MEILI_PID=$!
PIDS+=("$MEILI_PID")
wait_http "http://127.0.0.1:$MEILI_PORT/health" 120 "$MEILI_PID" meili

# A real SMTP server writing every message it receives to a Maildir.
python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/maildir" \
  >"$WORK/smtp.log" 2>&1 &
SMTP_PID=$!
PIDS+=("$SMTP_PID")
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null && break
  sleep 0.2
done
python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 1)" 2>/dev/null || {
  echo "the SMTP server (aiosmtpd) did not start:" >&2; cat "$WORK/smtp.log" >&2; exit 1; }

# The same settings for every process, as in production (deploy/compose.yaml).
export DATABASE_URL="$DB_URL"
export SESSION_KEY
SESSION_KEY=$(secret_hex 64)
export MEILI_URL="http://127.0.0.1:$MEILI_PORT" MEILI_MASTER_KEY="$MEILI_KEY"
export SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
export DATA_DIR="$WORK/data" MEDIA_DIR="$WORK/data/media" BASE_URL="$A" RUST_LOG=warn
export WORKERS="${SCALE_WORKERS:-2}"
export CART_CHANGES_PER_MINUTE=10000000 ORDERS_PER_HOUR=10000000
mkdir -p "$DATA_DIR"

echo "== seeding $PRODUCTS products of $UNITS units into PostgreSQL (database $DB_NAME)..." >&2
"$BIN" seed --demo --products "$PRODUCTS" --units "$UNITS" >&2
psql -q "$DB_URL" -c "UPDATE products SET stock = 1000000 WHERE status = 'published'" >/dev/null
"$BIN" reindex >&2
psql -Atq "$DB_URL" -c "SELECT id || ' ' || slug FROM products WHERE status = 'published' ORDER BY id LIMIT 2000" >"$WORK/products"
printf '%s\n' kopi batik keripik madu sabun kursi lukisan tenun sendal kripik+pisang kopi+gayo \
  coffee honey meja+jati tas+anyaman dodol sambal bordir kain+songket rotan >"$WORK/queries"

# No staff accounts are seeded: one for the unit of the product the staff will edit, made as an
# operator makes it (`etalase user create`, the password on standard input).
read -r EDIT_ID EDIT_SLUG EDIT_UNIT < <(psql -AtqF ' ' "$DB_URL" -c \
  "SELECT p.id, p.slug, u.slug FROM products p JOIN units u ON u.id = p.unit_id WHERE p.status = 'published' ORDER BY p.id LIMIT 1") ||
  { echo "no published product to edit" >&2; exit 1; }
STAFF_EMAIL="staf.skala@contoh.id"
STAFF_PASSWORD="uji-skala-$(secret_hex 8)"
printf '%s\n' "$STAFF_PASSWORD" | "$BIN" user create --email "$STAFF_EMAIL" --name "Staf Uji Skala" \
  --role staff --unit "$EDIT_UNIT" >&2

# Two web instances without jobs, then the one worker.
env PORT="$PORT_A" "$BIN" serve --no-seed --no-jobs >"$WORK/a.log" 2>&1 &
A_PID=$!
PIDS+=("$A_PID")
wait_http "$A/ready" 180 "$A_PID" a
env PORT="$PORT_B" "$BIN" serve --no-seed --no-jobs >"$WORK/b.log" 2>&1 &
B_PID=$!
PIDS+=("$B_PID")
wait_http "$B/ready" 180 "$B_PID" b
"$BIN" worker >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
PIDS+=("$WORKER_PID")
sleep 2
kill -0 "$WORKER_PID" 2>/dev/null || { echo "the worker stopped:" >&2; tail -20 "$WORK/worker.log" >&2; exit 1; }

curl -fs "$A/" | grep -o 'href="/kategori/[a-z0-9-]*"' | sort -u | sed 's/href="//; s/"$//' >"$WORK/categories" || true
[ -s "$WORK/categories" ] || { echo "no category links on A's home page" >&2; exit 1; }

wrk_on() { # URL SECONDS OUTPUT: wrk in the background; its pid in WRK_PID
  SCALE_DATA="$WORK" wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"$2s" --timeout 10s -s bench/scale.lua "$1" >"$3" 2>&1 &
  WRK_PID=$!
  PIDS+=("$WRK_PID")
}
summary_field() { sed -n "s/^$2 //p" "$1"; }

echo "settings: PAGE_CACHE_SECONDS=${PAGE_CACHE_SECONDS:-5 (default)}, WORKERS=$WORKERS per instance, $CONNECTIONS wrk connections per instance, $(wc -l <"$WORK/products") products in the mix"
echo
echo "== 1. ${LOAD_SECONDS} s of mixed load through A (:$PORT_A) and B (:$PORT_B): browsing 80%, search 15%, orders 5% of visitor actions"
wrk_on "$A" "$LOAD_SECONDS" "$WORK/wrk1-a.out"
WRK_A=$WRK_PID
wrk_on "$B" "$LOAD_SECONDS" "$WORK/wrk1-b.out"
WRK_B=$WRK_PID
python3 bench/scale_client.py propagate --a "$A" --b "$B" --email "$STAFF_EMAIL" --password "$STAFF_PASSWORD" \
  --product-id "$EDIT_ID" --slug "$EDIT_SLUG" --delay $((LOAD_SECONDS / 2)) \
  >"$WORK/propagate.json" 2>"$WORK/propagate.err" &
PROPAGATE=$!
PIDS+=("$PROPAGATE")
wait "$WRK_A" || true
wait "$WRK_B" || true
wait "$PROPAGATE" || true

python3 bench/scale_client.py wrk-summary A="$WORK/wrk1-a.out" B="$WORK/wrk1-b.out" >"$WORK/phase1.txt"
grep -v '^TOTAL_' "$WORK/phase1.txt"
TRAFFIC_ERRORS=$(summary_field "$WORK/phase1.txt" TOTAL_ERRORS)
LOG_ERRORS=$(log_errors "$WORK/a.log" "$WORK/b.log" "$WORK/worker.log")
if [ "${TRAFFIC_ERRORS:-1}" = 0 ] && [ "$LOG_ERRORS" = 0 ]; then
  verdict PASS "errors: 0 (connections, HTTP status, order steps, server logs)"
else
  verdict FAIL "errors: ${TRAFFIC_ERRORS:-?} in traffic, $LOG_ERRORS in the server logs"
  cat "$WORK/a.log" "$WORK/b.log" "$WORK/worker.log" | grep -m 5 -E '(ERROR|panicked)' || true
fi
PROPAGATED=$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("|no result: %s" % e); sys.exit()
s = d.get("seconds")
print("%s|%s" % ("" if s is None else s, d.get("error") or "%s polls of B, the save took %s ms" % (d.get("polls"), d.get("save_ms"))))
' "$WORK/propagate.json")
PROPAGATED_S=${PROPAGATED%%|*}
PROPAGATED_NOTE=${PROPAGATED#*|}
if [ -n "$PROPAGATED_S" ] && awk -v s="$PROPAGATED_S" -v l="$PROPAGATION_LIMIT" 'BEGIN { exit !(s <= l) }'; then
  verdict PASS "propagation: a price saved through A showed on B after ${PROPAGATED_S} s (limit ${PROPAGATION_LIMIT} s; $PROPAGATED_NOTE)"
else
  verdict FAIL "propagation: a price saved through A showed on B after ${PROPAGATED_S:-never} s (limit ${PROPAGATION_LIMIT} s; $PROPAGATED_NOTE)"
  echo "  each instance keeps public pages for PAGE_CACHE_SECONDS and drops them at once only on its own writes"
  [ -s "$WORK/propagate.err" ] && tail -5 "$WORK/propagate.err"
fi

echo
echo "== 2. ${KILL_SECONDS} s of $BUYERS buyers placing orders through A and B, wrk browsing both; kill -9 of A after ${KILL_AT} s"
CLIENT_LOG="$WORK/checkouts.log"
TAG=$$
python3 bench/scale_client.py checkouts --a "$A" --b "$B" --products "$WORK/products" --threads "$BUYERS" \
  --seconds "$KILL_SECONDS" --log "$CLIENT_LOG" --tag "$TAG" >"$WORK/checkouts.json" 2>"$WORK/checkouts.err" &
BUYERS_PID=$!
PIDS+=("$BUYERS_PID")
wrk_on "$A" "$KILL_AT" "$WORK/wrk2-a.out"
WRK_A=$WRK_PID
wrk_on "$B" "$KILL_SECONDS" "$WORK/wrk2-b.out"
WRK_B=$WRK_PID
LOG_LINES_B=$(wc -l <"$WORK/b.log")
sleep "$KILL_AT"
kill -9 "$A_PID"
wait "$A_PID" 2>/dev/null || true
echo "killed A (pid $A_PID) with SIGKILL"
wait "$WRK_A" || true
wait "$WRK_B" || true
wait "$BUYERS_PID" || true

python3 bench/scale_client.py wrk-summary B="$WORK/wrk2-b.out" >"$WORK/phase2.txt"
grep -v '^TOTAL_' "$WORK/phase2.txt"
python3 - "$WORK/checkouts.json" "$WORK/checkouts.err" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"buyers: no summary ({e}); their errors:")
    print(open(sys.argv[2]).read()[-2000:])
    sys.exit()
print(f"buyers: {d.get('orders_confirmed', 0)} orders confirmed, {d.get('orders_placed_after_a_failure', 0)} of them "
      f"placed after a failed try; requests sent again {d.get('requests_retried', 0)} "
      f"(to the other instance {d.get('requests_failed_over', 0)}); network errors {d.get('network_errors', 0)}, "
      f"5xx answers {d.get('http_5xx', 0)}, checkouts not completed {d.get('flow_errors', 0) + d.get('gave_up', 0)}")
for what, first in d.get("first", {}).items():
    print(f"  first of {what}: {first}")
EOF
B_ERRORS=$(summary_field "$WORK/phase2.txt" TOTAL_ERRORS)
B_LOG_ERRORS=$(tail -n +"$((LOG_LINES_B + 1))" "$WORK/b.log" | grep -c -E '(ERROR|panicked)' || true)
if kill -0 "$B_PID" 2>/dev/null && [ "${B_ERRORS:-1}" = 0 ]; then
  verdict PASS "B kept serving while A died: 0 errors in its traffic ($B_LOG_ERRORS error lines in its log)"
else
  verdict FAIL "B while A died: ${B_ERRORS:-?} errors in its traffic, $B_LOG_ERRORS error lines in its log"
fi
INCOMPLETE=$(python3 -c 'import json, sys
try: d = json.load(open(sys.argv[1]))
except Exception: print(-1); sys.exit()
print(d.get("flow_errors", 0) + d.get("gave_up", 0))' "$WORK/checkouts.json")
if [ "$INCOMPLETE" = 0 ]; then
  verdict PASS "checkouts: every buyer's checkout completed (on A, or on B after A died)"
else
  verdict FAIL "checkouts: $INCOMPLETE did not complete as a buyer's would"
fi
if python3 bench/scale_client.py verify-orders --db "$DB_URL" --log "$CLIENT_LOG" --tag "$TAG" >"$WORK/orders.txt"; then :; fi
cat "$WORK/orders.txt"
grep -q '^PASS' "$WORK/orders.txt" || STATUS=1

echo
echo "== mail: waiting for the outbox (at most ${MAIL_WAIT} s), then counting the Maildir"
if python3 bench/scale_client.py verify-mail --db "$DB_URL" --maildir "$WORK/maildir" --wait "$MAIL_WAIT" >"$WORK/mail.txt"; then :; fi
cat "$WORK/mail.txt"
grep -q '^PASS' "$WORK/mail.txt" || STATUS=1
WORKER_ERRORS=$(log_errors "$WORK/worker.log")
[ "$WORKER_ERRORS" = 0 ] || echo "  the worker's log has $WORKER_ERRORS error lines"

[ "$STATUS" = 0 ] || [ -n "${SCALE_KEEP:-}" ] || echo "(SCALE_KEEP=1 keeps the logs, the Maildir and the database for a look)"
exit "$STATUS"
