DROP TABLE booth_charges;
ALTER TABLE units DROP COLUMN qris_image;
