-- Oversight (`/kelola/pantau`): an account may be an observer, read-only, national or (with a
-- province) regional as a Kanwil sees it.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'reviewer', 'staff', 'organizer', 'observer'));
-- The review desk's median wait reads, for each decision, the listing's last change before it.
CREATE INDEX oversight_audit_entity ON audit_log (entity, entity_id, id);
-- The best-selling products of a period read the orders paid in it.
CREATE INDEX oversight_orders_paid ON orders (paid_at);
