#!/usr/bin/env python3
"""The clients and checks of bench/scale.sh (Python standard library only).

  propagate      staff sign in on instance A and change a product's price through the product
                 form; instance B's product page is asked every 50 ms until it shows the new
                 price. Prints one JSON line.
  checkouts      buyers placing orders through the real forms (cart, contact, shipping page,
                 review, place) on two instances; a request whose connection fails, times out or
                 gets a 5xx goes to the other instance with the same cookies and the same form
                 (the same idempotency key `kunci`). Logs one JSON line per order attempt and
                 prints a JSON summary.
  verify-orders  the orders in the database against the checkout log: none lost, none twice.
  verify-mail    waits for the mail outbox to drain, then counts the messages in the Maildir per
                 order: each order's mail exactly once.
  wrk-summary    requests/s, p50/p99 and errors of wrk runs of bench/scale.lua, and merged.

Lines starting with PASS or FAIL are the verdicts bench/scale.sh collects.
"""

import argparse
import collections
import email
import email.policy
import email.utils
import html.parser
import http.client
import json
import mailbox
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

USER_AGENT = "etalase-bench-scale"


# --------------------------------------------------------------------------------------------
# HTTP: one visitor (cookies, one keep-alive connection per instance)
# --------------------------------------------------------------------------------------------

NETWORK_ERRORS = (OSError, http.client.HTTPException)


def address(url):
    parsed = urllib.parse.urlsplit(url)
    return parsed.hostname, parsed.port or 80


class Visitor:
    """A browser without JavaScript: keeps its cookies, sends forms, never follows redirects."""

    def __init__(self, instances, timeout=10.0):
        self.instances = instances  # name -> (host, port)
        self.timeout = timeout
        self.cookies = {}
        self.conns = {}

    def close(self):
        for conn in self.conns.values():
            conn.close()
        self.conns.clear()

    def _conn(self, name):
        conn = self.conns.get(name)
        if conn is None:
            host, port = self.instances[name]
            conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
            self.conns[name] = conn
        return conn

    def request(self, name, method, path, fields=None):
        """(status, Location, body) of one request to instance `name`; raises on a network
        error (the connection is dropped, so the next request opens a new one)."""
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = self._conn(name)
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            data = res.read()
        except NETWORK_ERRORS:
            conn.close()
            self.conns.pop(name, None)
            raise
        for raw in res.headers.get_all("Set-Cookie") or []:
            self._keep(raw)
        if (res.getheader("Connection") or "").lower() == "close":
            conn.close()
            self.conns.pop(name, None)
        return res.status, res.getheader("Location") or "", data.decode("utf-8", "replace")

    def _keep(self, raw):
        first, *attrs = [p.strip() for p in raw.split(";")]
        name, _, value = first.partition("=")
        attrs = [a.lower() for a in attrs]
        gone = any(a.startswith("max-age=0") or a.startswith("max-age=-") for a in attrs) or any(
            a.startswith("expires=") and "1970" in a for a in attrs
        )
        if gone:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


class Forms(html.parser.HTMLParser):
    """The forms of a page as a browser submits them: hidden and text inputs, checked radios
    and checkboxes, the selected option of each select, textareas. A field that names another
    form (`form="id"`) belongs to that form; buttons and file inputs are left out."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.by_id = {}
        self.current = None
        self.select = None
        self.textarea = None
        self.feed(page)
        self.close()

    def _owner(self, attrs):
        if attrs.get("form"):
            return self.by_id.get(attrs["form"])
        return self.current

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        if tag == "form":
            form = {
                "id": attrs.get("id"),
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(form)
            self.current = form
            if form["id"]:
                self.by_id[form["id"]] = form
            return
        owner = self._owner(attrs)
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name")
            if owner is None or not name or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("radio", "checkbox"):
                if "checked" not in attrs:
                    return
                owner["fields"].append((name, attrs.get("value") or "on"))
            else:
                owner["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self.select = {"owner": owner, "name": attrs.get("name"), "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"] = value
        elif tag == "textarea":
            self.textarea = {"owner": owner, "name": attrs.get("name"), "parts": []}

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            s, self.select = self.select, None
            if s["owner"] is not None and s["name"]:
                chosen = s["chosen"] if s["chosen"] is not None else (s["first"] or "")
                s["owner"]["fields"].append((s["name"], chosen))
        elif tag == "textarea" and self.textarea is not None:
            t, self.textarea = self.textarea, None
            if t["owner"] is not None and t["name"]:
                t["owner"]["fields"].append((t["name"], "".join(t["parts"])))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["parts"].append(data)

    def posting_to(self, action):
        """The fields of the first POST form whose action is `action` (None when there is none)."""
        for form in self.forms:
            if form["method"] == "post" and form["action"] == action:
                return list(form["fields"])
        return None


def rupiah(amount):
    return "Rp" + f"{amount:,}".replace(",", ".")


# --------------------------------------------------------------------------------------------
# propagate
# --------------------------------------------------------------------------------------------


def propagate(args):
    time.sleep(args.delay)
    instances = {"A": address(args.a), "B": address(args.b)}
    staff = Visitor(instances)
    buyer = Visitor(instances)
    out = {"seconds": None}

    def done(**fields):
        out.update(fields)
        print(json.dumps(out))
        return 0

    status, _, page = staff.request("A", "GET", "/masuk")
    login = Forms(page).posting_to("/masuk") if status == 200 else None
    if login is None:
        return done(error=f"GET /masuk on A answered {status} without the sign-in form")
    login = [(k, v) for k, v in login if k not in ("email", "password")]
    login += [("email", args.email), ("password", args.password)]
    status, location, page = staff.request("A", "POST", "/masuk", login)
    if status != 303 or location.startswith("/masuk"):
        return done(error=f"signing in on A answered {status} to {location!r}")

    edit_path = f"/kelola/produk/{args.product_id}"
    status, _, page = staff.request("A", "GET", edit_path)
    fields = Forms(page).posting_to(edit_path) if status == 200 else None
    if not fields:
        return done(error=f"GET {edit_path} on A answered {status} without the product form")
    values = dict(fields)
    try:
        old = int(values["price"].replace(".", ""))
    except (KeyError, ValueError):
        return done(error=f"the product form has no usable price: {values.get('price')!r}")
    # An odd amount no other product shows next to it; price changes keep a product published
    # (only its text sends it back to review).
    new = old + 1357 if old + 1357 <= 1_000_000_000 else old - 1357
    fields = [(k, str(new) if k == "price" else v) for k, v in fields]
    product_path = f"/produk/{args.slug}"
    old_needle = f'class="price">{rupiah(old)}<'
    new_needle = f'class="price">{rupiah(new)}<'

    # A visitor has just seen the product on B (so B holds the page as it was).
    status, _, page = buyer.request("B", "GET", product_path)
    if status != 200 or old_needle not in page:
        return done(error=f"B's {product_path} answered {status} without the price {rupiah(old)}")

    sent = time.monotonic()
    status, location, page = staff.request("A", "POST", edit_path, fields)
    answered = time.monotonic()
    if status != 303:
        return done(error=f"saving the product form on A answered {status} (not 303): the edit was refused")
    out.update(old_price=old, new_price=new, save_ms=round((answered - sent) * 1000, 1))

    polls = 0
    next_poll = answered
    while True:
        now = time.monotonic()
        if now < next_poll:
            time.sleep(next_poll - now)
        next_poll += args.every
        polls += 1
        try:
            status, _, page = buyer.request("B", "GET", product_path)
        except NETWORK_ERRORS as e:
            status, page = f"{type(e).__name__}", ""
        seen = time.monotonic()
        if status == 200 and new_needle in page:
            return done(seconds=round(seen - answered, 3), since_sent=round(seen - sent, 3), polls=polls)
        if seen - answered > args.give_up:
            break
    status_a, _, page_a = buyer.request("A", "GET", product_path)
    return done(
        polls=polls,
        last_status_b=status,
        a_shows_it=(status_a == 200 and new_needle in page_a),
        error=f"B did not show the new price within {args.give_up} s",
    )


# --------------------------------------------------------------------------------------------
# checkouts
# --------------------------------------------------------------------------------------------


class GaveUp(Exception):
    pass


class FlowError(Exception):
    pass


class Fleet:
    """State shared by the buyer threads: counters, the log, and which instance looked down."""

    def __init__(self, log_path, attempts):
        self.lock = threading.Lock()
        self.stats = collections.Counter()
        self.first = {}
        self.down_until = {}
        self.log = open(log_path, "a", encoding="utf-8")
        self.attempts = attempts
        self.serial = 0

    def count(self, what, detail=None):
        with self.lock:
            self.stats[what] += 1
            if detail and what not in self.first:
                self.first[what] = detail

    def write(self, entry):
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()

    def next_buyer(self):
        with self.lock:
            self.serial += 1
            return self.serial

    def mark_down(self, name):
        # Like a load balancer's passive check: skip an instance that just failed, for 2 s.
        with self.lock:
            self.down_until[name] = time.monotonic() + 2.0

    def choose(self, prefer, other):
        with self.lock:
            now = time.monotonic()
            if self.down_until.get(prefer, 0) <= now:
                return prefer
            if self.down_until.get(other, 0) <= now:
                return other
            return prefer if self.down_until[prefer] <= self.down_until[other] else other


def send(fleet, visitor, prefer, method, path, fields=None):
    """Sends one request, to the other instance when one fails (network error, timeout, 5xx):
    the same cookies, the same form. Gives (instance, status, location, body, failures)."""
    other = "B" if prefer == "A" else "A"
    failures = []
    for attempt in range(1, fleet.attempts + 1):
        name = fleet.choose(prefer, other)
        try:
            status, location, body = visitor.request(name, method, path, fields)
        except NETWORK_ERRORS as e:
            fleet.count("network_errors", f"{method} {path} on {name}: {type(e).__name__}: {e}")
            failures.append(f"{name}:{type(e).__name__}")
            fleet.mark_down(name)
        else:
            if status < 500:
                if failures:
                    fleet.count("requests_retried")
                    if any(not f.startswith(name + ":") for f in failures):
                        fleet.count("requests_failed_over")
                return name, status, location, body, failures
            fleet.count("http_5xx", f"{method} {path} on {name}: {status}")
            failures.append(f"{name}:{status}")
            fleet.mark_down(name)
        time.sleep(min(0.05 * attempt, 0.5))
    raise GaveUp(f"{method} {path}: {', '.join(failures)}")


def one_checkout(fleet, visitor, prefer, products, tag):
    n = fleet.next_buyer()
    product_id, _slug = random.choice(products)
    _, status, location, _, _ = send(
        fleet, visitor, prefer, "POST", "/keranjang",
        [("product_id", product_id), ("quantity", str(random.randint(1, 2)))],
    )
    if status != 303 or "cart-added" not in location or "etalase_keranjang" not in visitor.cookies:
        raise FlowError(f"add to cart answered {status} to {location!r}")
    contact = [
        ("name", "Budi Santoso"),
        ("email", f"skala{tag}x{n}@contoh.id"),
        ("phone", "0812" + "".join(random.choice("0123456789") for _ in range(8))),
        ("province_id", "11"),
        ("city", "Kota Bandung"),
        ("district", "Coblong"),
        ("postal_code", "40132"),
        ("address", "Jl. Ganesha No. 10, RT 01/RW 02"),
    ]
    _, status, location, _, _ = send(fleet, visitor, prefer, "POST", "/checkout", contact)
    if status != 303 or not location.endswith("/checkout/kirim"):
        raise FlowError(f"contact step answered {status} to {location!r}")
    _, status, location, page, _ = send(fleet, visitor, prefer, "GET", "/checkout/kirim")
    shipping = Forms(page).posting_to("/checkout/tinjau") if status == 200 else None
    if not shipping:
        raise FlowError(f"shipping page answered {status} {location!r} without its form")
    _, status, location, page, _ = send(fleet, visitor, prefer, "POST", "/checkout/tinjau", shipping)
    place = Forms(page).posting_to("/checkout/kirim") if status == 200 else None
    if not place:
        raise FlowError(f"review step answered {status} {location!r} without the place-order form")
    key = dict(place).get("kunci", "")
    entry = {"key": key, "buyer": contact[1][1], "prefer": prefer}
    try:
        name, status, location, _, failures = send(fleet, visitor, prefer, "POST", "/checkout/kirim", place)
    except GaveUp as e:
        fleet.write(dict(entry, ok=False, why=str(e)))
        raise
    entry.update(instance=name, failures=failures)
    if status != 303 or not location.startswith("/pesanan/"):
        fleet.write(dict(entry, ok=False, why=f"placing answered {status} to {location!r}"))
        raise FlowError(f"placing answered {status} to {location!r}")
    secret = location[len("/pesanan/"):].split("?")[0]
    fleet.write(dict(entry, ok=True, secret=secret))
    if failures:
        fleet.count("orders_placed_after_a_failure")


def checkouts(args):
    instances = {"A": address(args.a), "B": address(args.b)}
    products = []
    with open(args.products, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                products.append((parts[0], parts[1]))
    fleet = Fleet(args.log, args.attempts)
    deadline = time.monotonic() + args.seconds
    tag = args.tag or str(os.getpid())

    def buyer_thread(i):
        prefer = "A" if i % 2 == 0 else "B"
        while time.monotonic() < deadline:
            visitor = Visitor(instances, timeout=args.timeout)
            try:
                one_checkout(fleet, visitor, prefer, products, tag)
                fleet.count("orders_confirmed")
            except GaveUp as e:
                fleet.count("gave_up", str(e))
            except FlowError as e:
                fleet.count("flow_errors", str(e))
            finally:
                visitor.close()

    threads = [threading.Thread(target=buyer_thread, args=(i,)) for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    summary = dict(fleet.stats)
    summary["first"] = fleet.first
    print(json.dumps(summary))
    return 0


# --------------------------------------------------------------------------------------------
# verify-orders, verify-mail
# --------------------------------------------------------------------------------------------


def psql(url, sql):
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        check=True, capture_output=True, text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def verify_orders(args):
    attempted, confirmed, unconfirmed = set(), {}, set()
    with open(args.log, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            key = entry.get("key")
            if not key:
                continue
            attempted.add(key)
            if entry.get("ok"):
                confirmed[key] = entry["secret"]
            else:
                unconfirmed.add(key)
    unconfirmed -= set(confirmed)
    rows = psql(
        args.db,
        "SELECT idempotency_key, secret FROM orders WHERE buyer_email LIKE "
        f"'skala{args.tag}x%@contoh.id'",
    )
    in_db = collections.defaultdict(list)
    for idem, secret in rows:
        # The stored key is `{cart id}-{form key}` (domain::IdempotencyKey::of_cart).
        in_db[idem.split("-", 1)[-1]].append(secret)
    lost = sorted(k for k in confirmed if k not in in_db)
    twice = sorted(k for k, secrets in in_db.items() if len(secrets) > 1)
    other_secret = sorted(k for k, s in confirmed.items() if k in in_db and s not in in_db[k])
    unknown = sorted(k for k in in_db if k not in attempted)
    placed_unconfirmed = sorted(k for k in unconfirmed if k in in_db)
    ok = not (lost or twice or other_secret or unknown or unconfirmed) and confirmed
    verdict = "PASS" if ok else "FAIL"
    print(
        f"{verdict} orders after kill -9: {len(confirmed)} confirmed to buyers, {len(rows)} in the "
        f"database; lost {len(lost)}, duplicated {len(twice)}, another order's link {len(other_secret)}, "
        f"orders no buyer placed {len(unknown)}, checkouts given up {len(unconfirmed)} "
        f"({len(placed_unconfirmed)} of them in the database)"
    )
    for what, keys in (("lost", lost), ("duplicated", twice), ("other link", other_secret),
                       ("unknown", unknown), ("given up", sorted(unconfirmed))):
        if keys:
            print(f"  {what}: {' '.join(keys[:5])}{' …' if len(keys) > 5 else ''}")
    return 0 if ok else 1


ORDER_CODE = re.compile(r"ETL-[A-Z2-9]{8}")


def verify_mail(args):
    deadline = time.monotonic() + args.wait
    while True:
        (pending,), = psql(args.db, "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        if int(pending) == 0 or time.monotonic() > deadline:
            break
        time.sleep(1)
    (sent, failed), = psql(
        args.db,
        "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE failed_at IS NOT NULL) FROM mail_outbox",
    )
    sent, failed, pending = int(sent), int(failed), int(pending)
    orders = psql(args.db, "SELECT code, lower(buyer_email) FROM orders")

    per_pair = collections.Counter()  # (recipient, order code) -> messages naming the order
    messages = 0
    box = mailbox.Maildir(args.maildir, factory=None, create=False)
    for key in box.iterkeys():
        with box.get_file(key) as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        messages += 1
        # aiosmtpd's Mailbox handler records the envelope recipients as X-RcptTo.
        rcpt = msg.get("X-RcptTo") or msg.get("To") or ""
        recipients = [a.lower() for _, a in email.utils.getaddresses([str(rcpt)]) if a]
        codes = set(ORDER_CODE.findall(str(msg.get("Subject") or "")))
        for to in recipients:
            for code in codes:
                per_pair[(to, code)] += 1

    # Each order mails its buyer once (order received) and each staff account of its units
    # once (new order); nothing here pays, ships or cancels, so no order mails anyone twice.
    missing = [code for code, buyer in orders if per_pair[(buyer, code)] == 0]
    twice = sorted(f"{code} to {to} ({n}x)" for (to, code), n in per_pair.items() if n > 1)
    ok = pending == 0 and failed == 0 and messages == sent and not missing and not twice and orders
    verdict = "PASS" if ok else "FAIL"
    print(
        f"{verdict} mail: {len(orders)} orders, {messages} messages in the Maildir for {sent} sent "
        f"from the outbox ({pending} still waiting, {failed} given up); orders without their "
        f"buyer's mail {len(missing)}, an order's mail to one address more than once {len(twice)}"
    )
    for what, items in (("no mail", missing), ("more than once", twice)):
        if items:
            print(f"  {what}: {', '.join(items[:5])}{' …' if len(items) > 5 else ''}")
    return 0 if ok else 1


# --------------------------------------------------------------------------------------------
# wrk-summary
# --------------------------------------------------------------------------------------------


def read_wrk(path):
    run = {"errors_total": 0, "orders": 0, "requests": 0, "duration_us": 0, "latency": [], "first": []}
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError as e:
        text = ""
        run["first"].append(f"cannot read {path}: {e}")
    result = None
    for line in text.splitlines():
        if line.startswith("RESULT "):
            result = dict(kv.split("=", 1) for kv in line.split()[1:])
        elif line.startswith("LATENCY "):
            run["latency"] = [int(v) for v in line.split()[1:]]
        elif line.startswith("FIRST_"):
            run["first"].append(line)
    if result is None:
        run["errors_total"] = 1
        run["first"].append(f"{path}: wrk printed no RESULT line: {text.strip()[-300:]}")
        return run
    for k in ("requests", "duration_us", "p50_us", "p99_us", "orders"):
        run[k] = int(result.get(k, 0))
    run["errors_total"] = sum(int(result.get(k, 0)) for k in ("errors", "non2xx", "flow_errors", "lost"))
    run["detail"] = {k: int(result.get(k, 0)) for k in ("errors", "non2xx", "flow_errors", "lost")}
    return run


def merged_percentile(runs, q):
    points = []
    for run in runs:
        if run["latency"] and run["requests"]:
            weight = run["requests"] / len(run["latency"])
            points += [(v, weight) for v in run["latency"]]
    if not points:
        return 0
    points.sort()
    total = sum(w for _, w in points)
    seen = 0.0
    for value, weight in points:
        seen += weight
        if seen >= q * total:
            return value
    return points[-1][0]


def wrk_summary(args):
    runs = []
    for spec in args.runs:
        name, path = spec.split("=", 1)
        run = read_wrk(path)
        run["name"] = name
        runs.append(run)
    print(f"{'instance':<9} {'seconds':>7} {'requests':>9} {'req/s':>8} {'p50_ms':>8} {'p99_ms':>8} {'errors':>7} {'orders':>7}")
    for r in runs:
        secs = r["duration_us"] / 1e6
        rate = r["requests"] / secs if secs else 0
        print(f"{r['name']:<9} {secs:>7.1f} {r['requests']:>9} {rate:>8.0f} {r.get('p50_us', 0) / 1000:>8.2f} "
              f"{r.get('p99_us', 0) / 1000:>8.2f} {r['errors_total']:>7} {r['orders']:>7}")
    if len(runs) > 1:
        rate = sum(r["requests"] / (r["duration_us"] / 1e6) for r in runs if r["duration_us"])
        secs = max(r["duration_us"] for r in runs) / 1e6
        print(f"{'both':<9} {secs:>7.1f} {sum(r['requests'] for r in runs):>9} {rate:>8.0f} "
              f"{merged_percentile(runs, 0.50) / 1000:>8.2f} {merged_percentile(runs, 0.99) / 1000:>8.2f} "
              f"{sum(r['errors_total'] for r in runs):>7} {sum(r['orders'] for r in runs):>7}")
    for r in runs:
        for line in r["first"]:
            print(f"  {r['name']}: {line}")
        if r["errors_total"] and r.get("detail"):
            print(f"  {r['name']}: " + ", ".join(f"{k} {v}" for k, v in r["detail"].items()))
    print(f"TOTAL_ERRORS {sum(r['errors_total'] for r in runs)}")
    print(f"TOTAL_ORDERS {sum(r['orders'] for r in runs)}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("propagate")
    p.add_argument("--a", required=True, help="instance A, e.g. http://127.0.0.1:8081")
    p.add_argument("--b", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--product-id", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--delay", type=float, default=0, help="seconds to wait before starting")
    p.add_argument("--every", type=float, default=0.05, help="seconds between polls of B")
    p.add_argument("--give-up", type=float, default=15.0, help="seconds")
    p.set_defaults(run=propagate)

    p = sub.add_parser("checkouts")
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--products", required=True, help="file of `id slug` lines")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--timeout", type=float, default=10, help="seconds per request")
    p.add_argument("--attempts", type=int, default=40, help="tries per request, both instances")
    p.add_argument("--log", required=True)
    p.add_argument("--tag", default="", help="marks this run's buyers (skala<tag>x<n>@contoh.id)")
    p.set_defaults(run=checkouts)

    p = sub.add_parser("verify-orders")
    p.add_argument("--db", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--tag", required=True)
    p.set_defaults(run=verify_orders)

    p = sub.add_parser("verify-mail")
    p.add_argument("--db", required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--wait", type=float, default=300, help="seconds to wait for the outbox")
    p.set_defaults(run=verify_mail)

    p = sub.add_parser("wrk-summary")
    p.add_argument("runs", nargs="+", help="NAME=wrk-output-file")
    p.set_defaults(run=wrk_summary)

    args = parser.parse_args()
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
