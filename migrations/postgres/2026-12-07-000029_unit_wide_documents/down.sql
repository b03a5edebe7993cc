DROP INDEX product_photos_cover;
DROP INDEX certifications_product;
CREATE INDEX certifications_product ON certifications (product_id, status);
DROP INDEX certifications_unit_wide;
