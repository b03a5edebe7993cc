DROP TABLE users;
DROP TABLE certifications;
DROP TABLE product_photos;
DROP TABLE products;
DROP TABLE categories;
DROP TABLE units;
DROP TABLE provinces;
