DROP TABLE mail_outbox;
DROP TABLE order_items;
DROP TABLE shipments;
DROP TABLE orders;
DROP TABLE cart_items;
DROP TABLE carts;
