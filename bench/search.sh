#!/usr/bin/env bash
# Search benchmark (embedded engine): seeds 5,000 and 50,000 products, times a full reindex,
# then loads /cari with wrk on loopback for three kinds of query and prints requests/s and
# p50/p99 latency of the whole search page (engine + database + template), plus the server's
# CPU milliseconds per request.
#
#   bench/search.sh                       # both sizes
#   BENCH_SIZES="5000" bench/search.sh    # one size
#
# Latency is measured with one request in flight per worker (BENCH_CONNECTIONS=2 on this
# 2-core machine), so it is the time of a search, not time spent queueing behind others.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${BENCH_SIZES:-5000 50000}"
DURATION="${BENCH_DURATION:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-2}"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }; }

cargo build --release --quiet
BIN=target/release/etalase
TICKS=$(getconf CLK_TCK)
WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One word; one word with a typo; two words with two facets.
cat >"$WORK/one-word.paths" <<'P'
/cari?q=kopi
/cari?q=batik
/cari?q=keripik
/cari?q=madu
/cari?q=sabun
/cari?q=kursi
/cari?q=tas
/cari?q=lukisan
/cari?q=jamur
/cari?q=tenun
P
cat >"$WORK/typo.paths" <<'P'
/cari?q=kopu
/cari?q=batk
/cari?q=keripk
/cari?q=lukisn
/cari?q=sabnu
/cari?q=kurssi
/cari?q=madhu
/cari?q=tenunn
P
cat >"$WORK/two-words-two-facets.paths" <<'P'
/cari?q=kopi+bubuk&kategori=Kuliner&stok=1
/cari?q=batik+tulis&kategori=Fesyen+dan+Tekstil&harga=250000-1000000
/cari?q=keripik+singkong&sertifikat=PIRT&stok=1
/cari?q=kursi+jati&kategori=Mebel+dan+Kayu&harga=1000000-
/cari?q=sabun+herbal&sertifikat=HALAL&stok=1
/cari?q=madu+hutan&kategori=Kuliner&harga=100000-250000
P

printf '%-8s %-22s %10s %9s %9s %12s\n' products query req/s p50_ms p99_ms cpu_ms/req

for N in $SIZES; do
  DATA="$WORK/data-$N"
  mkdir -p "$DATA"
  export DATABASE_URL="sqlite://$DATA/etalase.db" DATA_DIR="$DATA" MEDIA_DIR="$WORK/media" RUST_LOG=warn
  "$BIN" seed --demo --products "$N" >/dev/null
  echo "# $("$BIN" reindex)"

  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PORT="$PORT" WORKERS=2 "$BIN" serve --no-seed >"$WORK/server-$N.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

  for KIND in one-word typo two-words-two-facets; do
    PATHS_FILE="$WORK/$KIND.paths" wrk -t1 -c"$CONNECTIONS" -d2s -s bench/paths.lua "http://127.0.0.1:$PORT" >/dev/null # warm-up
    BEFORE=$(cpu_ticks "$SERVER")
    OUT=$(PATHS_FILE="$WORK/$KIND.paths" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/paths.lua "http://127.0.0.1:$PORT")
    AFTER=$(cpu_ticks "$SERVER")
    eval "$(echo "$OUT" | grep '^RESULT' | sed 's/^RESULT //')"
    awk -v n="$N" -v k="$KIND" -v r="$requests" -v d="$duration_us" -v p50="$p50_us" -v p99="$p99_us" \
        -v cpu=$((AFTER - BEFORE)) -v t="$TICKS" -v e="$errors" -v bad="$non2xx" 'BEGIN {
      printf "%-8s %-22s %10.0f %9.2f %9.2f %12.3f", n, k, r / (d / 1e6), p50 / 1000, p99 / 1000, (cpu * 1000 / t) / r
      if (e + bad > 0) printf "  (errors %d, non-2xx %d)", e, bad
      printf "\n" }'
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
