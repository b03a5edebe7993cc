-- Every listing order ends with the product id as its tie-breaker (popularity, id; created_at,
-- id; price, id). Indexes that hold the id too let the database read a page in index order
-- and stop at the LIMIT, instead of reading and sorting every product of the category.
DROP INDEX products_category_price;
DROP INDEX products_category_created;
DROP INDEX products_category_popularity;
DROP INDEX products_unit;
DROP INDEX products_featured;
CREATE INDEX products_category_price ON products (category_id, status, price, id);
CREATE INDEX products_category_created ON products (category_id, status, created_at, id);
CREATE INDEX products_category_popularity ON products (category_id, status, popularity, id);
CREATE INDEX products_unit ON products (unit_id, status, popularity, id);
CREATE INDEX products_featured ON products (status, featured, popularity, id);
-- The home page counts published products per category: read from the index alone.
CREATE INDEX products_status_category ON products (status, category_id);
