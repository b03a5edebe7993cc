-- Daily roll-ups (issue 15): per day and unit, what paid shop orders and booth sales came to,
-- so the impact page, the open data and the oversight dashboard never scan every order line.
-- A day is the day in WIB the money came in (an order's `paid_at`, a booth sale's `sold_on`);
-- a refunded or cancelled order counts on no day. Rows are rebuilt a day at a time
-- (`models::rollup::rollup_day`): deleted and inserted again in one transaction.
CREATE TABLE daily_unit_sales (
    day TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    unit_kind TEXT NOT NULL,
    orders INTEGER NOT NULL,
    booth_sales INTEGER NOT NULL,
    items BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    buyers INTEGER NOT NULL,
    wage BIGINT NOT NULL,
    pnbp BIGINT NOT NULL,
    capital BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id)
);
CREATE INDEX daily_unit_sales_province ON daily_unit_sales (province_id, day);
CREATE INDEX daily_unit_sales_unit ON daily_unit_sales (unit_id, day);
-- When each roll-up last ran (UTC unix seconds) and the latest day it covered.
CREATE TABLE rollup_runs (name TEXT PRIMARY KEY, last_day TEXT NOT NULL, updated_at BIGINT NOT NULL);
-- What one day's roll-up reads: the orders paid within the day, the booth sales of the day.
CREATE INDEX orders_paid_at ON orders (paid_at);
CREATE INDEX booth_sales_sold_on ON booth_sales (sold_on, unit_id);
