-- QRIS at fair booths (issue 17).
-- A unit's static QRIS image from its bank, shown full-screen on the till's phone: the file
-- (under the private documents folder, `booth-qris/`) served only to the unit's own staff.
-- Never reviewed and never public.
ALTER TABLE units ADD COLUMN qris_image TEXT;
-- Dynamic QRIS charges made through Midtrans at a booth: one per sale (`sale_key`, the till's
-- idempotency key, becomes the booth sale's key once paid). `reference` is the charge's
-- `order_id` at Midtrans (`BOOTH-{event}-{unit}-{key}`). The sale is recorded when Midtrans'
-- notification, confirmed by a status call, says the whole total arrived; `status`:
-- pending, paid, expired, cancelled, failed (refused) or mismatch (another amount arrived).
CREATE TABLE booth_charges (
    id SERIAL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    booth_id INTEGER NOT NULL REFERENCES booths (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    total BIGINT NOT NULL,
    sale_key TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (
        status IN ('pending', 'paid', 'expired', 'cancelled', 'failed', 'mismatch')
    ),
    qr_string TEXT,
    created_at BIGINT NOT NULL,
    paid_at BIGINT
);
CREATE INDEX booth_charges_till ON booth_charges (event_id, unit_id, status);
