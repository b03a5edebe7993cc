-- The units registry (`/kelola/daftar-unit`, `etalase units import`): a unit may be switched
-- off (`active` = 0: its shop page and products leave the public pages, its staff cannot sign
-- in) and may be a Bapas (Balai Pemasyarakatan) besides a Lapas, Rutan or LPKA.
ALTER TABLE units ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
-- Public listings look up the units switched off (usually none) on every page they read.
CREATE INDEX units_inactive ON units (id) WHERE active = 0;
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('lapas', 'rutan', 'lpka', 'bapas'));
