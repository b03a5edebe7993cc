-- Accounts administration (`/kelola/akun`): an account may be deactivated (`active` = 0: it
-- cannot sign in and its sessions ended) or invited (`invited` = 1: it has no password of its
-- own until the invitee chooses one through the link mailed to them); the last successful
-- sign-in is kept. Existing accounts are active and not invited.
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE users ADD COLUMN invited INTEGER NOT NULL DEFAULT 0 CHECK (invited IN (0, 1));
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
-- Invitation links: the SHA-256 of the token only, good for seven days and once. Sending an
-- invitation again uses the older links up.
CREATE TABLE invitations (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_by INTEGER REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX invitations_user ON invitations (user_id);
