-- A unit's parcel list shows what goes in each parcel (`models::order::unit_parcels`).
CREATE INDEX order_items_shipment ON order_items (shipment_id);
