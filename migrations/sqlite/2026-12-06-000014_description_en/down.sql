ALTER TABLE products DROP COLUMN description_en;
