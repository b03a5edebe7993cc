DROP INDEX units_profile_pending;
ALTER TABLE units DROP COLUMN profile_return_reason;
ALTER TABLE units DROP COLUMN pending_changed_at;
ALTER TABLE units DROP COLUMN pending_banner;
ALTER TABLE units DROP COLUMN pending_logo;
ALTER TABLE units DROP COLUMN pending_story;
ALTER TABLE units DROP COLUMN pending_brand_name;
