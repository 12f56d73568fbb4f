-- The lookup says how many houses matched and shows one page of them (issue 13 #9). 0011's
-- household_lookup stopped at 50 houses in no particular order, so `lookup --name 王` showed 50
-- of 378 and nobody could tell. Now: every match in the actor's scope is counted (`total`, on
-- every row), the houses are in natural order (project, then building, unit and room as numbers
-- where they are numbers) and one page of them (p_limit, p_offset) is audited and returned: the
-- audit row still lists exactly the houses shown. The count is of house ids only, inside the
-- same audited, scoped call (a separate count query would bypass both).
-- The new parameters have defaults, so 0011's five-argument calls keep working.
DROP FUNCTION call_centre_lookup(text, text, text, text, boolean);
DROP FUNCTION household_lookup(integer, text, text, text, boolean);

CREATE FUNCTION household_lookup(p_actor integer, p_kind text, p_query text, p_value text, p_revealed boolean,
                                 p_limit integer DEFAULT 50, p_offset integer DEFAULT 0)
RETURNS TABLE (agent text, house text, card json, refused text, total integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_role text;
    v_project integer;
    v_employee text;
    v_ids bigint[];
    v_total integer;
    v_refusal text;
BEGIN
    -- The page size the front ends document (default 50, at most 100); checked there first,
    -- with the field named, so this only stops a direct call.
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 OR p_offset IS NULL OR p_offset < 0 THEN
        RAISE EXCEPTION 'lookup page: limit must be 1..100 and offset at least 0 (got %, %)', p_limit, p_offset
            USING ERRCODE = '22023';
    END IF;
    SELECT s.role, s.project_id, s.employee_no INTO v_role, v_project, v_employee FROM staff s WHERE s.id = p_actor;
    v_refusal := CASE
        WHEN v_role IS NULL THEN 'unknown agent'
        WHEN v_role = 'agent' THEN NULL
        WHEN v_role = 'manager' AND v_project IS NOT NULL THEN NULL
        WHEN v_role = 'butler' AND p_kind = 'card' THEN NULL
        ELSE 'role ' || v_role END;
    IF v_refusal IS NULL AND p_value IS NOT NULL THEN
        IF p_kind = 'phone' THEN
            v_ids := ARRAY(SELECT DISTINCT hr.house_id FROM resident_phones rp
                JOIN house_residents hr ON hr.resident_id = rp.resident_id
                WHERE rp.phone = p_value AND (v_role = 'agent' OR hr.project_id = v_project));
        ELSIF p_kind IN ('house', 'card') THEN
            v_ids := ARRAY(SELECT h.id FROM houses h WHERE h.code = p_value);
            IF cardinality(v_ids) = 1 AND NOT (v_role = 'agent'
                OR (v_role = 'manager' AND EXISTS (SELECT 1 FROM houses h WHERE h.id = v_ids[1] AND h.project_id = v_project))
                OR (v_role = 'butler' AND EXISTS (SELECT 1 FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
                        WHERE gh.house_id = v_ids[1] AND ga.staff_id = p_actor AND ga.from_date <= current_date
                          AND (ga.to_date IS NULL OR ga.to_date >= current_date)))) THEN
                v_refusal := 'house outside ' || v_employee || '''s scope';
            END IF;
        ELSIF p_kind = 'name' THEN
            -- Exact or prefix: a range over the C-collated index.
            v_ids := ARRAY(SELECT DISTINCT hr.house_id FROM residents r
                JOIN house_residents hr ON hr.resident_id = r.id
                WHERE r.name COLLATE "C" >= p_value AND r.name COLLATE "C" < p_value || U&'\+10FFFF'
                  AND (v_role = 'agent' OR hr.project_id = v_project));
        ELSE
            RAISE EXCEPTION 'unknown lookup kind %', p_kind USING ERRCODE = '22023';
        END IF;
    END IF;
    IF v_refusal IS NOT NULL THEN
        INSERT INTO lookup_refusals (agent, query_kind, query, reason)
        VALUES (coalesce(v_employee, '#' || p_actor), CASE WHEN p_kind = 'card' THEN 'house' ELSE p_kind END, p_query, v_refusal);
        RETURN QUERY SELECT v_employee, NULL::text, NULL::json, v_refusal, NULL::integer;
        RETURN;
    END IF;
    IF p_value IS NULL THEN
        RETURN QUERY SELECT v_employee, NULL::text, NULL::json, NULL::text, NULL::integer;
        RETURN;
    END IF;
    v_total := cardinality(v_ids);
    -- The page, in natural order: numbers compare as numbers (the collation of 0013).
    v_ids := ARRAY(SELECT h.id FROM houses h WHERE h.id = ANY(v_ids)
        ORDER BY h.code COLLATE house_natural
        LIMIT p_limit OFFSET p_offset);
    INSERT INTO lookup_audit (agent_id, query_kind, query, revealed, houses)
    SELECT p_actor, CASE WHEN p_kind = 'card' THEN 'house' ELSE p_kind END, p_query, p_revealed AND v_role <> 'butler',
           coalesce(array_agg(h.code ORDER BY h.code COLLATE house_natural), '{}')
    FROM houses h WHERE h.id = ANY(v_ids);
    RETURN QUERY
    SELECT v_employee, h.code, json_build_object(
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
        -- A corrected note shows as corrected (the original stays in touchpoints).
        'recent', (SELECT coalesce(json_agg(json_build_object(
                'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', 'kind', t.kind,
                'note', coalesce((SELECT c.note FROM touchpoint_corrections c WHERE c.touchpoint_id = t.id ORDER BY c.id DESC LIMIT 1), t.note))
                ORDER BY t.at DESC), '[]')
            FROM (SELECT tp.id, tp.at, tp.kind, tp.note FROM touchpoints tp WHERE tp.house_id = h.id ORDER BY tp.at DESC LIMIT 10) t),
        'residents', (SELECT coalesce(json_agg(json_build_object(
                'name', r.name,
                'phone', CASE WHEN p_revealed AND v_role <> 'butler' THEN r.phone
                              WHEN length(r.phone) >= 7 THEN left(r.phone, 3) || '****' || right(r.phone, 4)
                              ELSE repeat('*', length(r.phone)) END,
                'role', hr.role, 'tags', hr.tags)
                ORDER BY array_position(ARRAY['owner', 'family', 'tenant'], hr.role), r.name), '[]')
            FROM house_residents hr JOIN residents r ON r.id = hr.resident_id
            WHERE hr.house_id = h.id)), NULL::text, v_total
    FROM unnest(v_ids) WITH ORDINALITY AS shown(id, n)
    JOIN houses h ON h.id = shown.id
    LEFT JOIN grid_houses gh ON gh.house_id = h.id
    LEFT JOIN grids g ON g.id = gh.grid_id
    LEFT JOIN LATERAL (SELECT a.staff_id FROM (SELECT ga.staff_id, ga.to_date FROM grid_assignments ga
                                WHERE ga.grid_id = g.id AND ga.from_date <= current_date ORDER BY ga.from_date DESC LIMIT 1) a
                       WHERE a.to_date IS NULL OR a.to_date >= current_date) ga ON true
    LEFT JOIN staff st ON st.id = ga.staff_id
    ORDER BY shown.n;
    -- A page with no house (nothing matched, or an offset past the end) still names the actor
    -- and says how many matched.
    IF NOT FOUND THEN
        RETURN QUERY SELECT v_employee, NULL::text, NULL::json, NULL::text, v_total;
    END IF;
END $$;

-- The server's entry, as in 0011, with the page.
CREATE FUNCTION call_centre_lookup(p_token_sha256 text, p_kind text, p_query text, p_value text, p_revealed boolean,
                                   p_limit integer DEFAULT 50, p_offset integer DEFAULT 0)
RETURNS TABLE (agent text, house text, card json, refused text, total integer)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_actor integer;
BEGIN
    SELECT t.staff_id INTO v_actor FROM api_tokens t
    WHERE t.token_hash = decode(p_token_sha256, 'hex') AND t.revoked_at IS NULL;
    IF v_actor IS NULL THEN
        RETURN QUERY SELECT NULL::text, NULL::text, NULL::json, 'unauthorized'::text, NULL::integer;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM household_lookup(v_actor, p_kind, p_query, p_value, p_revealed, p_limit, p_offset);
END $$;

DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['household_lookup(integer, text, text, text, boolean, integer, integer)',
                             'call_centre_lookup(text, text, text, text, boolean, integer, integer)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- The server's privileges, final form (replaces 0012's): the same, for the new lookup signature.
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, house_residents, grids, grid_houses, grid_assignments,
        entrustments, touchpoints, touchpoint_corrections, standards, calendar_days, inspections, patrols, tasks,
        plan_runs, products, orders, complaints, alerts, holiday_arrivals, job_runs TO %I', p_role);
    EXECUTE format('GRANT INSERT ON touchpoints, touchpoint_corrections, inspections, patrols, tasks, events,
        complaints, grid_assignments TO %I', p_role);
    -- Column by column: completing a task (and a repeat complaint raising its follow-up's
    -- priority), a complaint's level, ending or correcting an assignment.
    EXECUTE format('GRANT UPDATE (done_at, done_by, done_note, priority) ON tasks TO %I', p_role);
    EXECUTE format('GRANT UPDATE (level) ON complaints TO %I', p_role);
    EXECUTE format('GRANT UPDATE (staff_id, to_date) ON grid_assignments TO %I', p_role);
    EXECUTE format('GRANT UPDATE (id) ON grids TO %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION acting_staff_id(), acting_role(), acting_project_id(), token_principal(text),
        call_centre_lookup(text, text, text, text, boolean, integer, integer), record_lookup_refusal(text, text, text),
        clock_metrics() TO %I', p_role);
END $$;
