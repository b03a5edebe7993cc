#!/usr/bin/env bash
# Lighthouse audit of the public pages: seeds a demo shop on SQLite (500 products), serves it on
# loopback, and runs Lighthouse 12 (npm, kept in a cache folder) once on each page with its
# mobile defaults (mobile form factor and screen, simulated slow 4G and 4x CPU slowdown), each in
# a fresh Chromium profile, so the weight is that of a first visit. Prints one line per page:
# performance, accessibility, best practices and SEO (0-100) and the transfer weight in KB
# (KiB, Lighthouse's `total-byte-weight`); then PASS/FAIL lines: every score at least 95
# (LIGHTHOUSE_MIN), home page at most 250 KB, product page at most 200 KB. Exits 1 on any FAIL
# (a page Lighthouse could not score is a FAIL too).
#
#   bench/lighthouse.sh                                        # builds the release binary first
#   LIGHTHOUSE_BIN=target/release/etalase bench/lighthouse.sh  # a binary built elsewhere
#   LIGHTHOUSE_PAGES="/ /cari?q=kopi" bench/lighthouse.sh      # only these pages
#   LIGHTHOUSE_PAGES="home product 404" bench/lighthouse.sh    # pages by name (see below)
#   LIGHTHOUSE_MIN=90 LIGHTHOUSE_PRODUCTS=5000 bench/lighthouse.sh
#   LIGHTHOUSE_REPORTS=/tmp/lh bench/lighthouse.sh             # keep the JSON reports there
#
# Pages (name, address): home /, category (first /kategori/ link of the home page), product
# (first /produk/ link of that category), search /cari?q=kopi, search-empty /cari?q=zzzzqqq,
# unit (first /unit/ link of the product page), province (first /provinsi/ link of the home
# page), fairs /pameran, fair (first /pameran/ link there; the demo data has no fair, so it is
# left out with a line saying so), signin /masuk, help /bantuan, impact /dampak (the demo data
# has no sales: its empty state), cart /keranjang (empty) and 404 /tidak-ada-halaman-ini.
#
# Three pages are audited with a deliberate exception, printed under the table:
# - 404 answers 404 on purpose: Lighthouse is told to score it anyway (--ignore-status-code,
#   without which it refuses any page answering 4xx/5xx), and its SEO score leaves out
#   `http-status-code` (which fails on any 4xx).
# - signin and cart are kept out of search engines on purpose (noindex, and Disallow in
#   robots.txt): their SEO score leaves out `is-crawlable`.
# Any other page that does not answer 200 is reported as an error and fails the run.
#
# Chromium is /usr/bin/chromium (CHROME_PATH overrides). Lighthouse runs one page at a time; on
# a 2-core machine the whole run takes a few minutes. The performance score depends on the
# machine (Lighthouse simulates a slow phone from a trace taken on this one): compare runs made
# on the same machine.
set -euo pipefail
# A binary or a report folder named relative to where the script was started from.
if [ -n "${LIGHTHOUSE_BIN:-}" ]; then LIGHTHOUSE_BIN=$(realpath "$LIGHTHOUSE_BIN"); fi
if [ -n "${LIGHTHOUSE_REPORTS:-}" ]; then LIGHTHOUSE_REPORTS=$(realpath -m "$LIGHTHOUSE_REPORTS"); fi
cd "$(dirname "$0")/.."

PRODUCTS="${LIGHTHOUSE_PRODUCTS:-500}"
MIN="${LIGHTHOUSE_MIN:-95}"
HOME_KB=250
PRODUCT_KB=200
LH_MAJOR=12
CHROME="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME" ] || { echo "Chromium is needed at $CHROME (apt-get install chromium, or set CHROME_PATH)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed to install Lighthouse (apt-get install npm)" >&2; exit 1; }

# Lighthouse (npm), kept in a cache folder like axe-core in scripts/test.
LH_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/etalase-bench/lighthouse-$LH_MAJOR"
LH="$LH_DIR/node_modules/.bin/lighthouse"
if ! [ -x "$LH" ]; then
  echo "== installing lighthouse@$LH_MAJOR (npm) into $LH_DIR" >&2
  mkdir -p "$LH_DIR"
  npm install --silent --no-audit --no-fund --prefix "$LH_DIR" "lighthouse@$LH_MAJOR" >/dev/null || {
    echo "lighthouse could not be installed with npm" >&2
    exit 1
  }
fi

WORK=$(mktemp -d)
SERVER=""
# A Chromium left behind by a Lighthouse run that timed out: only ours, found by its profile.
kill_chrome() {
  local pid
  for pid in $(pgrep -f -- "--user-data-dir=$1" 2>/dev/null || true); do kill "$pid" 2>/dev/null || true; done
}
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  kill_chrome "$WORK/"
  rm -rf "$WORK" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy: another build in the same target folder cannot swap the binary mid-run.
if [ -n "${LIGHTHOUSE_BIN:-}" ]; then
  cp "$LIGHTHOUSE_BIN" "$WORK/etalase"
else
  cargo build --release --quiet
  TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  cp "$TARGET_DIR/release/etalase" "$WORK/etalase"
fi
BIN="$WORK/etalase"

export DATA_DIR="$WORK/data" MEDIA_DIR="$WORK/data/media" RUST_LOG=warn
export DATABASE_URL="sqlite://$DATA_DIR/etalase.db"
mkdir -p "$DATA_DIR" "$WORK/tmp" "$WORK/reports"
echo "seeding $PRODUCTS products..." >&2
"$BIN" seed --demo --products "$PRODUCTS" >&2
"$BIN" reindex >&2

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
# BASE_URL: canonical, og:url and og:image addresses point at this server.
BASE_URL="$URL" PORT="$PORT" WORKERS=2 "$BIN" serve --no-seed >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "$URL/health" >/dev/null && break; sleep 0.1; done
if ! curl -fs "$URL/health" >/dev/null; then
  echo "the server did not start" >&2; tail -20 "$WORK/server.log" >&2; exit 1
fi

# The first link under PREFIX on the page at PATH ("" when there is none).
first_link() {
  { curl -fs "$URL$1" || true; } | { grep -o "href=\"$2[^\"?#][^\"?#]*" || true; } | sed 's/^href="//' | awk 'NR == 1'
}
# A page's name from its address.
name_of() {
  case "$1" in
    /) echo home ;;
    /kategori/*) echo category ;;
    /produk/*) echo product ;;
    /cari\?q=zzzzqqq) echo search-empty ;;
    /cari*) echo search ;;
    /unit/*) echo unit ;;
    /provinsi/*) echo province ;;
    /pameran) echo fairs ;;
    /pameran/*) echo fair ;;
    /masuk) echo signin ;;
    /bantuan) echo help ;;
    /dampak) echo impact ;;
    /keranjang) echo cart ;;
    /tidak-ada-halaman-ini) echo 404 ;;
    *) echo "$1" ;;
  esac
}

CATEGORY=$(first_link / /kategori/)
PRODUCT=""
if [ -n "$CATEGORY" ]; then PRODUCT=$(first_link "$CATEGORY" /produk/); fi
UNIT=""
if [ -n "$PRODUCT" ]; then UNIT=$(first_link "$PRODUCT" /unit/); fi
PROVINCE=$(first_link / /provinsi/)
if [ -z "$PROVINCE" ] && [ -n "$PRODUCT" ]; then PROVINCE=$(first_link "$PRODUCT" /provinsi/); fi
FAIR=$(first_link /pameran /pameran/)
: >"$WORK/pages"
for name_path in "home /" "category $CATEGORY" "product $PRODUCT" "search /cari?q=kopi" \
  "search-empty /cari?q=zzzzqqq" "unit $UNIT" "province $PROVINCE" "fairs /pameran" "fair $FAIR" \
  "signin /masuk" "help /bantuan" "impact /dampak" "cart /keranjang" "404 /tidak-ada-halaman-ini"; do
  read -r name path <<<"$name_path"
  if [ -n "${path:-}" ]; then
    echo "$name $path" >>"$WORK/pages"
  else
    echo "(no $name page found: left out)" >&2
  fi
done

# LIGHTHOUSE_PAGES: addresses (starting with /) or the names above.
if [ -n "${LIGHTHOUSE_PAGES:-}" ]; then
  : >"$WORK/chosen"
  set -f   # addresses such as /cari?q=kopi are not file patterns
  for want in $LIGHTHOUSE_PAGES; do
    case "$want" in
      /*) echo "$(name_of "$want") $want" >>"$WORK/chosen" ;;
      *) awk -v n="$want" '$1 == n { print; found = 1 } END { if (!found) print "(no page named " n ": left out)" > "/dev/stderr" }' "$WORK/pages" >>"$WORK/chosen" ;;
    esac
  done
  set +f
  mv "$WORK/chosen" "$WORK/pages"
fi
[ -s "$WORK/pages" ] || { echo "no page to audit" >&2; exit 1; }

CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
: >"$WORK/results"
I=0
while read -r name path; do
  I=$((I + 1))
  REPORT="$WORK/reports/$(printf '%02d-%s' "$I" "$name" | tr -c 'A-Za-z0-9-' _).json"
  EXTRA=()
  NOTE=""
  case "$name" in
    404) EXTRA=(--ignore-status-code --skip-audits=http-status-code); NOTE="scored although it answers 404; SEO without http-status-code" ;;
    signin | cart) EXTRA=(--skip-audits=is-crawlable); NOTE="noindex on purpose; SEO without is-crawlable" ;;
  esac
  # One request first: the status line below, and the server's own caches warm, as in use.
  STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$URL$path" </dev/null || true)
  echo "lighthouse $name $path (HTTP $STATUS)" >&2
  PROFILE="$WORK/chrome-$I"
  mkdir -p "$PROFILE"
  RC=0
  TMPDIR="$WORK/tmp" CHROME_PATH="$CHROME" timeout 300 "$LH" "$URL$path" \
    --quiet --output=json --output-path="$REPORT" \
    --only-categories=performance,accessibility,best-practices,seo \
    --form-factor=mobile --disable-full-page-screenshot \
    --chrome-flags="$CHROME_FLAGS --user-data-dir=$PROFILE" \
    ${EXTRA[@]+"${EXTRA[@]}"} </dev/null >"$WORK/reports/$I.log" 2>&1 || RC=$?
  kill_chrome "$PROFILE"
  rm -rf "$PROFILE"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$REPORT" "$STATUS" "$RC" "$NOTE" >>"$WORK/results"
done <"$WORK/pages"

if [ -n "${LIGHTHOUSE_REPORTS:-}" ]; then
  mkdir -p "$LIGHTHOUSE_REPORTS"
  cp "$WORK"/reports/*.json "$LIGHTHOUSE_REPORTS"/ 2>/dev/null || true
fi

STATUS=0
python3 - "$WORK/results" "$WORK/reports" "$MIN" "$HOME_KB" "$PRODUCT_KB" <<'EOF' || STATUS=1
import json, os, sys

results, logs, minimum, home_kb, product_kb = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
CATS = ["performance", "accessibility", "best-practices", "seo"]
rows, errors, notes, low, weight = [], [], [], [], {}
with open(results) as f:
    lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
for i, (name, path, report, status, rc, note) in enumerate(lines, 1):
    lhr, why = None, None
    try:
        with open(report) as r:
            lhr = json.load(r)
    except (OSError, ValueError) as e:
        log = os.path.join(logs, f"{i}.log")
        tail = ""
        if os.path.exists(log):
            with open(log, errors="replace") as l:
                tail = " ".join(l.read().split()[-40:])
        why = f"no report (lighthouse exit {rc}, HTTP {status}){': ' + tail if tail else ''}"
    if lhr is not None and lhr.get("runtimeError"):
        e = lhr["runtimeError"]
        why = f"{e.get('code')}: {e.get('message')}"
    scores = {}
    if lhr is not None and why is None:
        for c in CATS:
            s = lhr.get("categories", {}).get(c, {}).get("score")
            scores[c] = None if s is None else int(s * 100 + 0.5)
        if any(v is None for v in scores.values()):
            missing = [c for c, v in scores.items() if v is None]
            why = "no score for " + ", ".join(missing)
    if why is not None:
        errors.append(f"ERROR {name} ({path}): {why}")
        rows.append((name, ["error"] * 4, "-", path))
        continue
    kb = (lhr.get("audits", {}).get("total-byte-weight", {}).get("numericValue") or 0) / 1024
    weight[name] = kb
    for c in CATS:
        if scores[c] < minimum:
            low.append(f"{name} {c} {scores[c]}")
    if note:
        notes.append(f"({name}: {note})")
    rows.append((name, [str(scores[c]) for c in CATS], f"{kb:.0f}", path))

print(f"{'page':<13} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'kb':>6}  path")
for name, s, kb, path in rows:
    print(f"{name:<13} {s[0]:>5} {s[1]:>5} {s[2]:>5} {s[3]:>5} {kb:>6}  {path}")
for line in notes + errors:
    print(line)

ok = True
if not low and not errors:
    print(f"PASS scores: every score of {len(rows)} pages >= {minimum}")
else:
    ok = False
    parts = []
    if low:
        parts.append("below " + str(minimum) + ": " + ", ".join(low))
    if errors:
        parts.append(f"{len(errors)} page(s) not scored")
    print("FAIL scores: " + "; ".join(parts))
for name, limit in (("home", home_kb), ("product", product_kb)):
    if name not in weight:
        if any(r[0] == name for r in rows):
            ok = False
            print(f"FAIL weight: {name} page not measured (see the error above)")
        continue
    verdict = "PASS" if weight[name] <= limit else "FAIL"
    ok = ok and verdict == "PASS"
    print(f"{verdict} weight: {name} page {weight[name]:.0f} KB (limit {limit:.0f} KB)")
sys.exit(0 if ok else 1)
EOF
if ! kill -0 "$SERVER" 2>/dev/null; then
  echo "FAIL server: it stopped during the run"; tail -20 "$WORK/server.log"; STATUS=1
fi
exit "$STATUS"
