-- Back to accounts without observers: refused while an observer exists.
DROP INDEX oversight_orders_paid;
DROP INDEX oversight_audit_entity;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'reviewer', 'staff', 'organizer'));
