ALTER TABLE mail_outbox ADD COLUMN failed_at BIGINT;
CREATE INDEX mail_outbox_failed ON mail_outbox (failed_at);
-- A refund asked of the payment provider, recorded before the call (see models/payment.rs).
ALTER TABLE payments ADD COLUMN refund_requested_at BIGINT;
ALTER TABLE payments ADD COLUMN refund_requested_by INTEGER;
-- The unpaid-quantity check of checkout looks up a buyer's orders by email or WhatsApp number.
CREATE INDEX orders_buyer_email ON orders (buyer_email, status);
CREATE INDEX orders_buyer_phone ON orders (buyer_phone, status);
