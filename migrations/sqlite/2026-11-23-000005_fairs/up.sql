-- Fairs (pameran) such as IPPA Fest, and the booths of their floor plans.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
-- A unit's application for a fair; an approved one holds a booth. A booth holds at most one
-- assignment (booth_id is unique), whatever two organizers do at the same time.
CREATE TABLE fair_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    booth_kind TEXT NOT NULL,
    product_ids TEXT NOT NULL,
    needs_power INTEGER NOT NULL,
    needs_table INTEGER NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    booth_id INTEGER UNIQUE REFERENCES booths (id),
    created_at BIGINT NOT NULL,
    UNIQUE (event_id, unit_id)
);
