DROP TABLE fair_applications;
DROP TABLE booths;
DROP TABLE events;
