DROP INDEX booth_sales_sold_on;
DROP INDEX orders_paid_at;
DROP TABLE rollup_runs;
DROP INDEX daily_unit_sales_unit;
DROP INDEX daily_unit_sales_province;
DROP TABLE daily_unit_sales;
