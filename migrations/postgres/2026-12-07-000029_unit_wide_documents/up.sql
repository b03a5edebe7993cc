-- Every product card asks for the verified documents of its product and of its unit (those
-- without a product). Unit-wide documents get their own index: the one on (unit_id, status)
-- also held each unit's product documents, which were read and thrown away (about 60 rows a
-- unit at 50,000 products). Both indexes, and one for photos, carry the columns the cards
-- show, so PostgreSQL answers from the index without visiting the table (BENCHMARKS.md,
-- 2026-12-07).
CREATE INDEX certifications_unit_wide ON certifications (unit_id, status)
    INCLUDE (kind, number, issuer, expires_on) WHERE product_id IS NULL;
DROP INDEX certifications_product;
CREATE INDEX certifications_product ON certifications (product_id, status)
    INCLUDE (unit_id, kind, number, issuer, expires_on);
CREATE INDEX product_photos_cover ON product_photos (product_id, position)
    INCLUDE (id, path_base, alt, width, height);
