DROP INDEX bank_accounts_one_per_unit;
DROP INDEX bank_accounts_one_central;
DROP TABLE bank_accounts;
