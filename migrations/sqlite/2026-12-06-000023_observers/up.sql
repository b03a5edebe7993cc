-- Oversight (`/kelola/pantau`): an account may be an observer, read-only, national or (with a
-- province) regional as a Kanwil sees it.
-- SQLite cannot change the role's CHECK in place: the table is rebuilt as
-- https://www.sqlite.org/lang_altertable.html#otheralter says, with foreign keys off (see
-- metadata.toml) and in a transaction of its own. Ids are kept, so every reference still holds.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'staff', 'organizer', 'observer')),
    unit_id INTEGER REFERENCES units (id),
    province_id INTEGER REFERENCES provinces (id),
    created_at BIGINT NOT NULL,
    session_version INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    invited INTEGER NOT NULL DEFAULT 0 CHECK (invited IN (0, 1)),
    last_sign_in_at BIGINT
);
INSERT INTO users_new (id, email, name, password_hash, role, unit_id, province_id, created_at,
    session_version, active, invited, last_sign_in_at)
SELECT id, email, name, password_hash, role, unit_id, province_id, created_at,
    session_version, active, invited, last_sign_in_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- The review desk's median wait reads, for each decision, the listing's last change before it.
CREATE INDEX oversight_audit_entity ON audit_log (entity, entity_id, id);
-- The best-selling products of a period read the orders paid in it.
CREATE INDEX oversight_orders_paid ON orders (paid_at);
COMMIT;
PRAGMA foreign_keys = ON;
