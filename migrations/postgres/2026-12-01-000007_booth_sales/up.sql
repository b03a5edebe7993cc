-- Sales recorded at a fair booth. They draw on the same stock as the web shop. A sale keeps
-- the key its phone made for it: sent again after a dropped connection, it is counted once.
CREATE TABLE booth_sales (
    id SERIAL PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    booth_id INTEGER NOT NULL REFERENCES booths (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL,
    total BIGINT NOT NULL,
    method TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    sold_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX booth_sales_event ON booth_sales (event_id, unit_id);
