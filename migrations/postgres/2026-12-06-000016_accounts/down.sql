DROP INDEX invitations_user;
DROP TABLE invitations;
ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE users DROP COLUMN invited;
ALTER TABLE users DROP COLUMN active;
