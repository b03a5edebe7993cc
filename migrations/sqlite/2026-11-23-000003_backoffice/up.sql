-- Who did what to which record, with the record before and after (JSON text).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    before_json TEXT,
    after_json TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX products_status_unit ON products (status, unit_id);
-- The daily expiry job: when a document was marked expired, and which reminders were sent.
ALTER TABLE certifications ADD COLUMN expired_at BIGINT;
ALTER TABLE certifications ADD COLUMN reminded_60 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certifications ADD COLUMN reminded_14 INTEGER NOT NULL DEFAULT 0;
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
-- Bumped on sign-out and password reset: older session cookies stop working.
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
