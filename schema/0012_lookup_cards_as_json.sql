-- The lookup returns each household card as one JSON object, phones already masked unless
-- revealed (the rule of ButlerCore's PhoneNumber.mask: 3 digits, ****, the last 4). The HTTP
-- server passes the cards through instead of decoding and re-encoding them (that was ~23 % of
-- its CPU per lookup, ops/BENCHMARKS.md); the CLI and the screen-pop page decode them into
-- HouseholdCard. Keys are those of the contract's `lookup --json` shape, in sorted order.
DROP FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]);

CREATE FUNCTION call_centre_lookup(p_agent text, p_kind text, p_query text, p_revealed boolean, p_ids bigint[])
RETURNS TABLE (house text, card json)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path FROM CURRENT
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

REVOKE EXECUTE ON FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'butler_web') THEN
        PERFORM grant_server_privileges('butler_web');
    END IF;
END $$;
