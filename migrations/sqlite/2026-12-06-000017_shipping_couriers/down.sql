ALTER TABLE shipments DROP COLUMN pickup_code;
ALTER TABLE shipments DROP COLUMN packed_at;
ALTER TABLE shipments DROP COLUMN courier;
