-- The call-centre lookup, final form (replaces 0007's function):
-- * each household card comes back as one JSON object in the contract's `lookup --json` shape
--   (keys sorted), phones masked here unless revealed (ButlerCore's PhoneNumber.mask: 3 digits,
--   ****, the last 4): the HTTP server passes the cards through instead of decoding and
--   re-encoding them (~23 % of its CPU per lookup, ops/BENCHMARKS.md); the CLI and the
--   screen-pop page decode them into HouseholdCard;
-- * the butler on duty and the entrustment in force come from btree probes (latest start on or
--   before today, then its end checked) instead of scans of the GiST exclusion indexes, the
--   project name from a primary-key probe instead of a hash of every project;
-- * it runs as its owner (SECURITY DEFINER) and is the only way into lookup_audit for the
--   server's role (0010), so every audit row comes with the lookup it records; its search path
--   is this schema then pg_temp, so a caller's temporary view cannot stand in for a table.
CREATE INDEX grid_assignments_grid ON grid_assignments (grid_id, from_date);

-- Stored phones are canonical digits, like resident_phones' (the masking below relies on it).
ALTER TABLE residents ADD CONSTRAINT residents_phone_check CHECK (phone ~ '^[0-9]{5,15}$');

DROP FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]);

CREATE FUNCTION call_centre_lookup(p_agent text, p_kind text, p_query text, p_revealed boolean, p_ids bigint[])
RETURNS TABLE (house text, card json)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_agent integer;
BEGIN
    SELECT s.id INTO v_agent FROM staff s WHERE s.employee_no = p_agent;
    IF v_agent IS NULL THEN
        RAISE EXCEPTION 'unknown agent %', p_agent USING ERRCODE = 'BU403';
    END IF;
    INSERT INTO lookup_audit (agent_id, query_kind, query, revealed, houses)
    SELECT v_agent, p_kind, p_query, p_revealed, coalesce(array_agg(h.code ORDER BY h.code), '{}')
    FROM houses h WHERE h.id = ANY(p_ids);
    RETURN QUERY
    SELECT h.code, json_build_object(
        'butler', CASE WHEN st.id IS NULL THEN NULL ELSE json_build_object('employee_no', st.employee_no, 'name', st.name) END,
        'entrustment', (SELECT json_build_object('from', e.from_date, 'keys', e.keys, 'kind', e.kind, 'to', e.to_date)
            FROM (SELECT * FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= current_date
                  ORDER BY e.from_date DESC LIMIT 1) e WHERE e.to_date IS NULL OR e.to_date >= current_date),
        'grid', g.code,
        'grid_phone', g.phone,
        'house', h.code,
        'occupancy', h.occupancy,
        'open_tasks', (SELECT count(*) FROM tasks t WHERE t.house_id = h.id AND t.done_at IS NULL AND t.window_start <= current_date),
        'project', (SELECT p.name FROM projects p WHERE p.id = h.project_id),
        'recent', (SELECT coalesce(json_agg(json_build_object(
                'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', 'kind', t.kind, 'note', t.note)
                ORDER BY t.at DESC), '[]')
            FROM (SELECT tp.at, tp.kind, tp.note FROM touchpoints tp WHERE tp.house_id = h.id ORDER BY tp.at DESC LIMIT 10) t),
        'residents', (SELECT coalesce(json_agg(json_build_object(
                'name', r.name,
                'phone', CASE WHEN p_revealed THEN r.phone
                              WHEN length(r.phone) >= 7 THEN left(r.phone, 3) || '****' || right(r.phone, 4)
                              ELSE repeat('*', length(r.phone)) END,
                'role', hr.role, 'tags', hr.tags)
                ORDER BY array_position(ARRAY['owner', 'family', 'tenant'], hr.role), r.name), '[]')
            FROM house_residents hr JOIN residents r ON r.id = hr.resident_id
            WHERE hr.house_id = h.id))
    FROM houses h
    LEFT JOIN grid_houses gh ON gh.house_id = h.id
    LEFT JOIN grids g ON g.id = gh.grid_id
    LEFT JOIN LATERAL (SELECT a.staff_id FROM (SELECT ga.staff_id, ga.to_date FROM grid_assignments ga
                                WHERE ga.grid_id = g.id AND ga.from_date <= current_date ORDER BY ga.from_date DESC LIMIT 1) a
                       WHERE a.to_date IS NULL OR a.to_date >= current_date) ga ON true
    LEFT JOIN staff st ON st.id = ga.staff_id
    WHERE h.id = ANY(p_ids)
    ORDER BY h.code;
END $$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) SET search_path = %I, pg_temp',
                   current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) FROM PUBLIC;
