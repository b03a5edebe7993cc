-- A product page says how many pieces were sold, booth sales included
-- (`models::product::product_page`): they are summed by product.
CREATE INDEX booth_sales_product ON booth_sales (product_id);
