-- Fairs (pameran) such as IPPA Fest, and the booths of their floor plans.
CREATE TABLE events (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    venue TEXT NOT NULL,
    city TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    applications_open_on TEXT NOT NULL,
    applications_close_on TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE booths (
    id SERIAL PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    hall TEXT NOT NULL,
    kind TEXT NOT NULL,
    width_m INTEGER NOT NULL,
    depth_m INTEGER NOT NULL,
    fee BIGINT NOT NULL,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    UNIQUE (event_id, code)
);
