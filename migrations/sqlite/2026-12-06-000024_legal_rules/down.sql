DROP TABLE payout_months_closed;
DROP INDEX payouts_month;
DROP INDEX payouts_unit_month;
DROP TABLE payouts;
ALTER TABLE users DROP COLUMN treasurer;
DROP TABLE legal_rules;
