-- Page provenance (PostgreSQL dialect of ../0004_provenance.sql).
ALTER TABLE sources ADD COLUMN url TEXT;
ALTER TABLE sources ADD COLUMN retrieved TEXT;
ALTER TABLE documents ADD COLUMN time_inferred INTEGER NOT NULL DEFAULT 0;
