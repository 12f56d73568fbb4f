-- The call-centre lookup in one round trip: resolve the agent, write the audit row and return
-- the household cards in one statement. PL/pgSQL caches the plan per session; the generic plan
-- is forced because re-planning the ANY($ids) query cost more than running it (ops/BENCHMARKS.md).
CREATE FUNCTION call_centre_lookup(p_agent text, p_kind text, p_query text, p_revealed boolean, p_ids bigint[])
RETURNS TABLE (house text, project text, occupancy text, grid text, grid_phone text, butler_no text, butler_name text,
               residents json, entrustment json, open_tasks bigint, recent json)
LANGUAGE plpgsql
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
    SELECT h.code, p.name, h.occupancy, g.code, g.phone, st.employee_no, st.name,
           (SELECT coalesce(json_agg(json_build_object(
                'name', r.name, 'role', hr.role, 'phone', r.phone, 'tags', hr.tags)
                ORDER BY array_position(ARRAY['owner', 'family', 'tenant'], hr.role), r.name), '[]')
            FROM house_residents hr JOIN residents r ON r.id = hr.resident_id
            WHERE hr.house_id = h.id),
           (SELECT json_build_object('kind', e.kind, 'from', e.from_date, 'to', e.to_date, 'keys', e.keys)
            FROM entrustments e WHERE e.house_id = h.id AND e.from_date <= current_date
              AND (e.to_date IS NULL OR e.to_date >= current_date) LIMIT 1),
           (SELECT count(*) FROM tasks t WHERE t.house_id = h.id AND t.done_at IS NULL AND t.window_start <= current_date),
           (SELECT coalesce(json_agg(json_build_object(
                'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', 'kind', t.kind, 'note', t.note)
                ORDER BY t.at DESC), '[]')
            FROM (SELECT tp.at, tp.kind, tp.note FROM touchpoints tp WHERE tp.house_id = h.id ORDER BY tp.at DESC LIMIT 10) t)
    FROM houses h
    JOIN projects p ON p.id = h.project_id
    LEFT JOIN grid_houses gh ON gh.house_id = h.id
    LEFT JOIN grids g ON g.id = gh.grid_id
    LEFT JOIN grid_assignments ga ON ga.grid_id = g.id AND ga.from_date <= current_date
         AND (ga.to_date IS NULL OR ga.to_date >= current_date)
    LEFT JOIN staff st ON st.id = ga.staff_id
    WHERE h.id = ANY(p_ids)
    ORDER BY h.code;
END $$;
