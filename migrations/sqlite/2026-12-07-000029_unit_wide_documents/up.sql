-- Unit-wide documents (no product) by unit: every product card asks for the verified ones of
-- its units; the index on (unit_id, status) also held each unit's product documents, which
-- were read and thrown away (about 60 rows a unit at 50,000 products).
CREATE INDEX certifications_unit_wide ON certifications (unit_id, status) WHERE product_id IS NULL;
