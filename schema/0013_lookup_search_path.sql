-- call_centre_lookup runs as its owner (0011): its search path must not let a caller's
-- temporary tables or views stand in for the real ones (PostgreSQL's advice for SECURITY
-- DEFINER functions: this schema, then pg_temp last). The server role keeps TEMP (the daily
-- list plans through a temporary table), so the path is what closes it.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) SET search_path = %I, pg_temp',
                   current_schema());
END $$;

-- Stored phones are canonical digits, like resident_phones' (the masking in 0012 relies on it).
ALTER TABLE residents ADD CONSTRAINT residents_phone_check CHECK (phone ~ '^[0-9]{5,15}$');
