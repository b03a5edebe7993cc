DROP INDEX products_featured_unit;
DROP INDEX certifications_product;
CREATE INDEX certifications_product ON certifications (product_id, status)
    INCLUDE (unit_id, kind, number, issuer, expires_on);
