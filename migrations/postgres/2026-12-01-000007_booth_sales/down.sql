DROP TABLE booth_sales;
