DROP INDEX products_status_unit;
DROP TABLE audit_log;
