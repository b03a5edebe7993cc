DROP INDEX certifications_unit_wide;
