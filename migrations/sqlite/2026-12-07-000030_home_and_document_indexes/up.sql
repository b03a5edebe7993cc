-- The product index of documents holds only documents of a product. When it also held the
-- unit-wide ones (no product), SQLite's planner took it for `product_id IS NULL`: its
-- statistics count about 2 rows per product_id and cannot see that NULL stands for every
-- unit-wide document of the shop. Each product card's documents then walked all of them
-- (524 rows at 50,000 products) instead of the few of the units shown, which
-- `certifications_unit_wide` holds (BENCHMARKS.md, 2026-12-07, twelfth session).
DROP INDEX certifications_product;
CREATE INDEX certifications_product ON certifications (product_id, status)
    WHERE product_id IS NOT NULL;
-- The home page ranks units by their featured products. Without this index SQLite walked
-- every published product through (status, unit_id), visiting the table for `featured`:
-- 39 ms at 50,000 products, against 0.6 ms from this covering index.
CREATE INDEX products_featured_unit ON products (status, featured, unit_id);
