-- Payment settings (`/kelola/pembayaran/rekening`): the bank accounts buyers transfer into.
-- `unit_id` NULL is the central account; a unit may have an account of its own. At most one
-- active central account and one active account per unit: the model checks in its write
-- transaction, and the two partial unique indexes refuse a second one whatever happens. An
-- order of one unit with an active account shows that account, any other order the central
-- one; with no active central account the shop keeps using the `BANK_*` settings.
CREATE TABLE bank_accounts (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER REFERENCES units (id),
    bank_name TEXT NOT NULL,
    account_number TEXT NOT NULL,
    holder TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX bank_accounts_one_central ON bank_accounts (active)
    WHERE unit_id IS NULL AND active = 1;
CREATE UNIQUE INDEX bank_accounts_one_per_unit ON bank_accounts (unit_id)
    WHERE unit_id IS NOT NULL AND active = 1;
