-- The units registry (`/kelola/daftar-unit`, `etalase units import`): a unit may be switched
-- off (`active` = 0: its shop page and products leave the public pages, its staff cannot sign
-- in) and may be a Bapas (Balai Pemasyarakatan) besides a Lapas, Rutan or LPKA.
-- SQLite cannot change the kind's CHECK in place: the table is rebuilt as
-- https://www.sqlite.org/lang_altertable.html#otheralter says, with foreign keys off (see
-- metadata.toml) and in a transaction of its own. Ids are kept, so every reference still holds.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE units_new (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('lapas', 'rutan', 'lpka', 'bapas')),
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
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK (split_wage_pct + split_pnbp_pct + split_capital_pct = 100)
);
INSERT INTO units_new (id, slug, kind, class, name, city, province_id, brand_name, story,
    logo_path, banner_path, pickup_address, phone, email, split_wage_pct, split_pnbp_pct,
    split_capital_pct, created_at, active)
SELECT id, slug, kind, class, name, city, province_id, brand_name, story, logo_path,
    banner_path, pickup_address, phone, email, split_wage_pct, split_pnbp_pct,
    split_capital_pct, created_at, 1
FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;
CREATE INDEX units_province ON units (province_id);
-- Public listings look up the units switched off (usually none) on every page they read.
CREATE INDEX units_inactive ON units (id) WHERE active = 0;
COMMIT;
PRAGMA foreign_keys = ON;
