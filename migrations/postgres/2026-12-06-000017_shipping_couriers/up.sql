-- Unit orders (`/kelola/pesanan`): the courier a unit handed a parcel to (a
-- `domain::order::Courier` code; the buyer's tracking link follows it), when the parcel was
-- packed (ready for the courier, or for the buyer to pick up at the unit), and the six-digit
-- code a buyer who picks the parcel up shows the unit's staff.
ALTER TABLE shipments ADD COLUMN courier TEXT;
ALTER TABLE shipments ADD COLUMN packed_at BIGINT;
ALTER TABLE shipments ADD COLUMN pickup_code TEXT CHECK (pickup_code IS NULL OR length(pickup_code) = 6);
