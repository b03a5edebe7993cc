ALTER TABLE payments DROP COLUMN details;
ALTER TABLE payments DROP COLUMN channel;
