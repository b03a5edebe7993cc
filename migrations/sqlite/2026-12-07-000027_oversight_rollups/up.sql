-- Oversight roll-ups (issue 15): what the oversight dashboard (`/kelola/pantau`) reads, so a
-- request never counts order lines, products, photos or documents.
--
-- Per day (WIB) and product, what paid shop orders and booth sales came to, as
-- `daily_unit_sales` per unit: rebuilt by `models::rollup::rollup_day` for the same day in the
-- same transaction (a refunded or cancelled order counts on no day). `unit_id`, `province_id`
-- and `unit_kind` are the unit's when the day was rolled up. Days rolled up before this
-- migration have no product rows: with no `rollup_runs` row `daily_product_sales` yet, the
-- roll-up job rolls every day up again from the first sale when it next starts.
CREATE TABLE daily_product_sales (
    day TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    unit_kind TEXT NOT NULL,
    items BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    PRIMARY KEY (day, product_id)
);
-- The dashboard's period within a province (a period alone reads the primary key).
CREATE INDEX daily_product_sales_province ON daily_product_sales (province_id, day);
-- A product's days of a year, when its year row is made again.
CREATE INDEX daily_product_sales_product ON daily_product_sales (product_id, day);
-- The same per calendar year: each product's day rows of the year added up, made again (in
-- the same transaction) for the products whose day rows changed. A product counts in the
-- province and kind of unit of the last day it sold that year. The best-selling products of a
-- period covering whole years read these, walking an index in rank order, instead of adding
-- up every day.
CREATE TABLE yearly_product_sales (
    year INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    unit_kind TEXT NOT NULL,
    items BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    PRIMARY KEY (year, product_id)
);
CREATE INDEX yearly_product_sales_rank ON yearly_product_sales (year, items DESC, sales DESC, product_id);
CREATE INDEX yearly_product_sales_province ON yearly_product_sales (year, province_id, items DESC, sales DESC, product_id);
CREATE INDEX yearly_product_sales_kind ON yearly_product_sales (year, unit_kind, items DESC, sales DESC, product_id);
-- Per unit, as of the last refresh (`models::oversight::refresh_snapshot`, by the roll-up job
-- every ten minutes and at start, and by `etalase rollup`; `rollup_runs` row
-- `unit_oversight` says when and for which day): its published food and drink products, how
-- many have a valid P-IRT or BPOM MD and a valid Halal certificate, a valid HKI (0 or 1), its
-- verified documents expiring within 60 days of that day, its published products and those
-- with three photos and their size. Every unit has a row (switched on or not).
CREATE TABLE unit_oversight (
    unit_id INTEGER PRIMARY KEY NOT NULL REFERENCES units (id),
    food INTEGER NOT NULL,
    permit INTEGER NOT NULL,
    halal INTEGER NOT NULL,
    hki INTEGER NOT NULL,
    expiring INTEGER NOT NULL,
    published INTEGER NOT NULL,
    complete INTEGER NOT NULL
);
-- Published products per unit and category, refreshed with `unit_oversight` (only pairs with
-- a published product).
CREATE TABLE unit_category_products (
    unit_id INTEGER NOT NULL REFERENCES units (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    published INTEGER NOT NULL,
    PRIMARY KEY (unit_id, category_id)
);
-- A day's roll-up reads the orders paid within the day that still count. Without statistics
-- SQLite took `orders_status_expiry` for the state and walked every counted order of every
-- day (0.39 s a day against 14 ms on PostgreSQL); state then time finds the day's orders.
CREATE INDEX orders_status_paid ON orders (status, paid_at);
-- The best-selling products no longer read the orders: `orders_paid_at` stays for the first
-- sale's day.
DROP INDEX oversight_orders_paid;
