-- Guest carts (a random token in a cookie) and orders with one shipment per unit.
CREATE TABLE carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE,
    checkout_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE cart_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cart_id INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    added_at BIGINT NOT NULL,
    UNIQUE (cart_id, product_id)
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    buyer_email TEXT NOT NULL,
    buyer_phone TEXT NOT NULL,
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    city TEXT NOT NULL,
    district TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    address TEXT NOT NULL,
    items_total BIGINT NOT NULL,
    shipping_total BIGINT NOT NULL,
    unique_code INTEGER NOT NULL,
    total BIGINT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_expires_at BIGINT NOT NULL,
    paid_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_status_expiry ON orders (status, payment_expires_at);
CREATE TABLE shipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    service TEXT NOT NULL,
    service_label TEXT NOT NULL,
    fee BIGINT NOT NULL,
    weight_kg INTEGER NOT NULL,
    items_total BIGINT NOT NULL,
    status TEXT NOT NULL,
    tracking_number TEXT,
    share_wage BIGINT NOT NULL,
    share_pnbp BIGINT NOT NULL,
    share_capital BIGINT NOT NULL
);
CREATE INDEX shipments_unit ON shipments (unit_id, status);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    name TEXT NOT NULL,
    unit_price BIGINT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0)
);
-- Email waiting to be sent; written in the same transaction as the change it reports.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    body_id TEXT NOT NULL,
    body_en TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);
