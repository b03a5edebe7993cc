-- Back to units without `active` and without Bapas: refused while a Bapas is registered.
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check CHECK (kind IN ('lapas', 'rutan', 'lpka'));
DROP INDEX units_inactive;
ALTER TABLE units DROP COLUMN active;
