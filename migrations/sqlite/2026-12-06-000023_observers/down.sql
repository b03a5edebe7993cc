-- Back to accounts without observers. While an observer exists the role's CHECK refuses the
-- copy and the whole change is rolled back: remove or change them first.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP INDEX oversight_orders_paid;
DROP INDEX oversight_audit_entity;
CREATE TABLE users_old (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'staff', 'organizer')),
    unit_id INTEGER REFERENCES units (id),
    province_id INTEGER REFERENCES provinces (id),
    created_at BIGINT NOT NULL,
    session_version INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    invited INTEGER NOT NULL DEFAULT 0 CHECK (invited IN (0, 1)),
    last_sign_in_at BIGINT
);
INSERT INTO users_old (id, email, name, password_hash, role, unit_id, province_id, created_at,
    session_version, active, invited, last_sign_in_at)
SELECT id, email, name, password_hash, role, unit_id, province_id, created_at,
    session_version, active, invited, last_sign_in_at
FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
COMMIT;
PRAGMA foreign_keys = ON;
