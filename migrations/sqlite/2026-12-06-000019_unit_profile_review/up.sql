-- Unit profile review (`/kelola/tinjau/unit/{id}`): what a unit's staff change of its brand
-- name, story, logo or banner waits here, beside the public version, until a reviewer approves
-- it. A proposed logo or banner names the file it will have in public media; until approved
-- the file is kept privately (`DATA_DIR/documents/unit-profiles/`). `pending_changed_at` is
-- set while anything waits and moves on with every change (a decision names the version it
-- saw); `profile_return_reason` is why a reviewer sent the last proposal back.
ALTER TABLE units ADD COLUMN pending_brand_name TEXT;
ALTER TABLE units ADD COLUMN pending_story TEXT;
ALTER TABLE units ADD COLUMN pending_logo TEXT;
ALTER TABLE units ADD COLUMN pending_banner TEXT;
ALTER TABLE units ADD COLUMN pending_changed_at BIGINT;
ALTER TABLE units ADD COLUMN profile_return_reason TEXT;
-- The review desk lists the units whose proposal waits (usually few), by province.
CREATE INDEX units_profile_pending ON units (province_id) WHERE pending_changed_at IS NOT NULL;
