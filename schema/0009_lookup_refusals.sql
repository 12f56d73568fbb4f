-- Refused lookups are audited too: an unknown employee number, or staff whose role may not
-- look households up (a butler's token on the call-centre API). Probing for personal data
-- shows in `butler audit --refused`. The agent is kept as typed: it may match no staff row.
CREATE TABLE lookup_refusals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    agent      text NOT NULL,
    query_kind text,
    query      text,
    reason     text NOT NULL
);
CREATE INDEX lookup_refusals_at ON lookup_refusals (at DESC);

-- Append-only like lookup_audit (0002), naming the table in the error.
CREATE FUNCTION refuse_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER lookup_refusals_append_only BEFORE UPDATE OR DELETE ON lookup_refusals
    FOR EACH ROW EXECUTE FUNCTION refuse_log_change();
CREATE TRIGGER lookup_refusals_no_truncate BEFORE TRUNCATE ON lookup_refusals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();
