-- Legal status rules (`/kelola/aturan-legalitas`): what a product needs before it may be
-- sold. A rule covers a category (`scope` 'category', `target` the category's slug) or a
-- product kind (`scope` 'kind', `target` as `products.kind` writes it) and names the
-- documents any one of which will do (`documents`: codes joined by '|', as 'PIRT|BPOM-MD');
-- a product needs one of every rule that covers it and is in force (`applies_from`, an ISO
-- day, or NULL: always). The shop seeds the default rules when the table is empty.
CREATE TABLE legal_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL CHECK (scope IN ('category', 'kind')),
    target TEXT NOT NULL,
    documents TEXT NOT NULL,
    applies_from TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at BIGINT NOT NULL
);
-- Payout tracking (`/kelola/setoran`): a unit's treasurer records, per month, that the wage
-- share was paid out and the PNBP share deposited (with the deposit's NTPN). Entries are never
-- changed: a correction is a new entry naming the one it corrects (`corrects_id`, at most
-- one correction per entry) and replaces it, so only the latest entry of a chain counts.
ALTER TABLE users ADD COLUMN treasurer INTEGER NOT NULL DEFAULT 0 CHECK (treasurer IN (0, 1));
CREATE TABLE payouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('wage', 'pnbp')),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    paid_on TEXT NOT NULL,
    ntpn TEXT,
    corrects_id INTEGER UNIQUE REFERENCES payouts (id),
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX payouts_unit_month ON payouts (unit_id, month);
CREATE INDEX payouts_month ON payouts (month);
-- A month closed for a unit takes only corrections from then on.
CREATE TABLE payout_months_closed (
    unit_id INTEGER NOT NULL REFERENCES units (id),
    month TEXT NOT NULL,
    closed_by INTEGER NOT NULL REFERENCES users (id),
    closed_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month)
);
