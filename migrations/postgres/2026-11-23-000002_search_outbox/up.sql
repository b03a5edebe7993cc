-- Index updates waiting for the search engine. A product change writes a row in the same
-- transaction; the indexer delivers it (upsert when published, delete otherwise) and removes
-- it, or records the error and the time of the next attempt.
CREATE TABLE search_outbox (
    id SERIAL PRIMARY KEY,
    product_id INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX search_outbox_due ON search_outbox (next_attempt_at);
