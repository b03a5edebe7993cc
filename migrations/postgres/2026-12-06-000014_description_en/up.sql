-- A product's description in English, optional: `description` stays the Indonesian text and
-- product pages show each reader the text in their language (`views::pages::product`).
ALTER TABLE products ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
