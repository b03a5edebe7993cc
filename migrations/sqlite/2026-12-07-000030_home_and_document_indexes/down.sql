DROP INDEX products_featured_unit;
DROP INDEX certifications_product;
CREATE INDEX certifications_product ON certifications (product_id, status);
