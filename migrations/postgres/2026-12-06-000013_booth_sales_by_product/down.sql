DROP INDEX booth_sales_product;
