DROP INDEX order_items_shipment;
