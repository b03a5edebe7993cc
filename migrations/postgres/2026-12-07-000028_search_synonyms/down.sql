DROP INDEX search_queries_day;
DROP TABLE search_queries;
DROP INDEX search_synonyms_word;
DROP TABLE search_synonyms;
