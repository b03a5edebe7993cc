-- CSV imports already made, by the key of the form that sent them: a double submit or a
-- refresh of the confirmation imports once.
CREATE TABLE import_batches (
    idempotency_key TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    products INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
