ALTER TABLE users DROP COLUMN session_version;
DROP TABLE password_resets;
ALTER TABLE certifications DROP COLUMN reminded_14;
ALTER TABLE certifications DROP COLUMN reminded_60;
ALTER TABLE certifications DROP COLUMN expired_at;
DROP INDEX products_status_unit;
DROP TABLE audit_log;
