DROP TABLE booths;
DROP TABLE events;
