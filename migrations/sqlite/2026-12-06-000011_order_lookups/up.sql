-- An order's lines and parcels are read by their order (order page, cancelling, expiry,
-- shipping); a buyer's unpaid pieces of a product by the product. Without these indexes each
-- of those reads scanned every order line or parcel of the shop, and checkout slowed down as
-- orders accumulated (bench/soak.sh, 2026-12-06).
CREATE INDEX order_items_order ON order_items (order_id);
CREATE INDEX order_items_product ON order_items (product_id);
CREATE INDEX shipments_order ON shipments (order_id);
