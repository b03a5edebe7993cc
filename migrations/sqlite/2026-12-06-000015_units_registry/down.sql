-- Back to units without `active` and without Bapas. While a Bapas is registered the kind's
-- CHECK refuses the copy and the whole change is rolled back: remove or re-kind them first.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE units_old (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('lapas', 'rutan', 'lpka')),
    class TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    brand_name TEXT NOT NULL,
    story TEXT NOT NULL,
    logo_path TEXT,
    banner_path TEXT,
    pickup_address TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    split_wage_pct INTEGER NOT NULL,
    split_pnbp_pct INTEGER NOT NULL,
    split_capital_pct INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (split_wage_pct + split_pnbp_pct + split_capital_pct = 100)
);
INSERT INTO units_old (id, slug, kind, class, name, city, province_id, brand_name, story,
    logo_path, banner_path, pickup_address, phone, email, split_wage_pct, split_pnbp_pct,
    split_capital_pct, created_at)
SELECT id, slug, kind, class, name, city, province_id, brand_name, story, logo_path,
    banner_path, pickup_address, phone, email, split_wage_pct, split_pnbp_pct,
    split_capital_pct, created_at
FROM units;
DROP TABLE units;
ALTER TABLE units_old RENAME TO units;
CREATE INDEX units_province ON units (province_id);
COMMIT;
PRAGMA foreign_keys = ON;
