CREATE TABLE provinces (
    id SERIAL PRIMARY KEY,
    iso_code TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    island_group TEXT NOT NULL
);

CREATE TABLE units (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('lapas', 'rutan', 'lpka')),
    class TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    province_id INTEGER NOT NULL REFERENCES provinces (id),
    brand_name TEXT NOT NULL,
    story TEXT NOT NULL,
    logo_path TEXT,
    banner_path TEXT,
    pickup_address TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    split_wage_pct INTEGER NOT NULL,
    split_pnbp_pct INTEGER NOT NULL,
    split_capital_pct INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (split_wage_pct + split_pnbp_pct + split_capital_pct = 100)
);
CREATE INDEX units_province ON units (province_id);

CREATE TABLE categories (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_id TEXT NOT NULL,
    description_en TEXT NOT NULL,
    is_food INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL
);

CREATE TABLE products (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price BIGINT NOT NULL CHECK (price > 0),
    stock INTEGER NOT NULL CHECK (stock >= 0),
    weight_g INTEGER NOT NULL CHECK (weight_g > 0),
    length_cm INTEGER NOT NULL,
    width_cm INTEGER NOT NULL,
    height_cm INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'returned', 'archived')),
    return_reason TEXT,
    featured INTEGER NOT NULL DEFAULT 0,
    popularity INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX products_category_price ON products (category_id, status, price);
CREATE INDEX products_category_created ON products (category_id, status, created_at);
CREATE INDEX products_category_popularity ON products (category_id, status, popularity);
CREATE INDEX products_unit ON products (unit_id, status, popularity);
CREATE INDEX products_featured ON products (status, featured, popularity);

CREATE TABLE product_photos (
    id SERIAL PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path_base TEXT NOT NULL,
    alt TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    UNIQUE (product_id, position)
);

CREATE TABLE certifications (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    product_id INTEGER REFERENCES products (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('NIB', 'PIRT', 'HALAL', 'BPOM-MD', 'BPOM-NA', 'HKI', 'SNI', 'SVLK')),
    number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT,
    document_path TEXT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'rejected')),
    reject_reason TEXT,
    verified_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX certifications_product ON certifications (product_id, status);
CREATE INDEX certifications_unit ON certifications (unit_id, status);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'staff', 'organizer')),
    unit_id INTEGER REFERENCES units (id),
    province_id INTEGER REFERENCES provinces (id),
    created_at BIGINT NOT NULL
);
