-- Payments through a provider (Stripe PaymentIntents), and the webhook events already handled
-- (a replayed event is recognised by its id and changes nothing).
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL,
    status TEXT NOT NULL,
    client_secret TEXT,
    last_error TEXT,
    refund_reference TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);
CREATE TABLE webhook_events (
    event_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    event_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
