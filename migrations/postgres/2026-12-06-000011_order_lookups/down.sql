DROP INDEX shipments_order;
DROP INDEX order_items_product;
DROP INDEX order_items_order;
