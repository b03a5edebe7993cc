-- Search that understands Indonesian shoppers (issue 18).
--
-- Synonyms administrators add at `/kelola/sinonim`, beside those of
-- `search-config/products.json` (`domain::synonyms`): `word` finds `synonyms` too (words joined
-- by commas, each one word as the search index stores it: lower case, accents folded); with
-- `two_way` 1 each synonym also finds the word and the other synonyms. Both engines take the
-- file's synonyms and these together, at start and after every change.
CREATE TABLE search_synonyms (
    id SERIAL PRIMARY KEY,
    word TEXT NOT NULL,
    synonyms TEXT NOT NULL,
    two_way INTEGER NOT NULL DEFAULT 1 CHECK (two_way IN (0, 1)),
    created_by INTEGER REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX search_synonyms_word ON search_synonyms (word);
-- What was searched on `/cari`, per day (WIB) and query (its words as the index stores them,
-- joined by a space; at most 100 characters): how often (a first page without filters chosen
-- in the sidebar, crawlers left out), how often it found nothing, and how many it found the
-- last time. Nothing about who searched. `clicks` is kept for a later count of the results
-- opened and stays 0 for now. Rows older than 90 days are purged by the daily job.
CREATE TABLE search_queries (
    "query" TEXT NOT NULL,
    day TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    zero_results INTEGER NOT NULL DEFAULT 0,
    last_count INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("query", day)
);
-- The last 30 days for `/kelola/pencarian`, and the purge.
CREATE INDEX search_queries_day ON search_queries (day);
