DROP INDEX orders_buyer_phone;
DROP INDEX orders_buyer_email;
ALTER TABLE payments DROP COLUMN refund_requested_by;
ALTER TABLE payments DROP COLUMN refund_requested_at;
DROP INDEX mail_outbox_failed;
ALTER TABLE mail_outbox DROP COLUMN failed_at;
