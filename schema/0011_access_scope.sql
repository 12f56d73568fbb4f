-- Access scope, enforced by the database as well as by the application's scope model
-- (ButlerStore/Registry/Scope.swift; README "Who may do what").
--
-- The acting person of an API request is known to the database only through their API token:
-- the server sets it per transaction (`set_config('butler.token', TOKEN, true)`) and the
-- functions below verify it against api_tokens, which the server's role can no longer read.
-- So the server's role alone can neither act as somebody whose token it does not hold, nor
-- write an audit row in another name, nor read residents' phones but through the audited
-- lookup; a revoked token stops working on the next statement (no cache anywhere).
-- The owner role (the CLI, imports) bypasses row-level security, as table owners do; the CLI
-- applies the same scope model in Swift.

-- Who the transaction's token belongs to (NULL: no token, an unknown or a revoked one).
CREATE FUNCTION acting_staff_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT t.staff_id FROM api_tokens t
    WHERE t.token_hash = sha256(convert_to(current_setting('butler.token', true), 'UTF8')) AND t.revoked_at IS NULL
$$;

CREATE FUNCTION acting_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.role FROM staff s WHERE s.id = acting_staff_id()
$$;

CREATE FUNCTION acting_project_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.project_id FROM staff s WHERE s.id = acting_staff_id()
$$;

-- The server authenticates a request: verifies the token and returns who it belongs to.
CREATE FUNCTION token_principal(p_token text)
RETURNS TABLE (staff_id integer, employee_no text, name text, role text, project_id integer)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.id, s.employee_no, s.name, s.role, s.project_id
    FROM api_tokens t JOIN staff s ON s.id = t.staff_id
    WHERE t.token_hash = sha256(convert_to(p_token, 'UTF8')) AND t.revoked_at IS NULL
$$;

-- Records are append-only (corrections are new rows, below). Inspections change only to
-- record, once, that the report reached the owner (002 #25); tasks only to be completed,
-- once, or re-prioritised while open (a repeated complaint raises its level).
CREATE FUNCTION refuse_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% % is a record and cannot be changed or deleted; record a correction instead', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'BU409';
END $$;
CREATE FUNCTION inspection_reported_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.reported_at IS NULL
       AND (NEW.id, NEW.house_id, NEW.project_id, NEW.kind, NEW.staff_id, NEW.at, NEW.findings, NEW.checklist, NEW.photos)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.house_id, OLD.project_id, OLD.kind, OLD.staff_id, OLD.at, OLD.findings, OLD.checklist, OLD.photos) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'inspection % is a record: only its report is recorded, once', OLD.id USING ERRCODE = 'BU409';
END $$;
CREATE FUNCTION task_completed_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.done_at IS NULL
       OR (NEW.done_at, NEW.done_by, NEW.done_note) IS NOT DISTINCT FROM (OLD.done_at, OLD.done_by, OLD.done_note) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'task % is already done; its completion is a record', OLD.id USING ERRCODE = 'BU409';
END $$;
CREATE TRIGGER touchpoints_append_only BEFORE UPDATE OR DELETE ON touchpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER inspections_append_only BEFORE DELETE ON inspections
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER inspections_reported_once BEFORE UPDATE ON inspections
    FOR EACH ROW EXECUTE FUNCTION inspection_reported_once();
CREATE TRIGGER patrols_append_only BEFORE UPDATE OR DELETE ON patrols
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER tasks_completed_once BEFORE UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_completed_once();

-- A correction of a touchpoint's note: a new record that points at the one it corrects (which
-- stays readable); the latest correction is what the household card shows.
CREATE TABLE touchpoint_corrections (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    touchpoint_id bigint NOT NULL REFERENCES touchpoints,
    project_id    integer NOT NULL,
    staff_id      integer NOT NULL REFERENCES staff,
    at            timestamptz NOT NULL DEFAULT now(),
    note          text NOT NULL,
    reason        text NOT NULL DEFAULT ''
);
CREATE INDEX touchpoint_corrections_touchpoint ON touchpoint_corrections (touchpoint_id, id DESC);
CREATE TRIGGER touchpoint_corrections_append_only BEFORE UPDATE OR DELETE ON touchpoint_corrections
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();

-- Row-level security for every role but the owner. The (SELECT f()) forms are evaluated once
-- per statement, not per row.
ALTER TABLE touchpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON touchpoints FOR SELECT
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()));
-- Agents record the call centre's contacts anywhere; butlers and managers any contact in their project.
CREATE POLICY recorded_by_actor ON touchpoints FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id()) AND CASE (SELECT acting_role())
        WHEN 'agent' THEN kind IN ('call_in', 'call_out', 'message', 'complaint', 'compliment')
        WHEN 'butler' THEN project_id = (SELECT acting_project_id())
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        ELSE false END);

ALTER TABLE touchpoint_corrections ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON touchpoint_corrections FOR SELECT
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()));
CREATE POLICY recorded_by_actor ON touchpoint_corrections FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id())
    AND ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id())));

ALTER TABLE inspections ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON inspections FOR SELECT
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()));
CREATE POLICY recorded_by_actor ON inspections FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id()) AND (SELECT acting_role()) IN ('butler', 'manager')
    AND project_id = (SELECT acting_project_id()));

ALTER TABLE patrols ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON patrols FOR SELECT
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()));
CREATE POLICY recorded_by_actor ON patrols FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id()) AND (SELECT acting_role()) IN ('butler', 'manager')
    AND project_id = (SELECT acting_project_id()));

-- Tasks are planned data, not personal data: any authenticated request may read them and the
-- on-demand planner may add them; completing one is bound to the actor and their scope.
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY authenticated ON tasks FOR SELECT USING ((SELECT acting_staff_id()) IS NOT NULL);
CREATE POLICY planned ON tasks FOR INSERT WITH CHECK ((SELECT acting_staff_id()) IS NOT NULL);
CREATE POLICY completed_in_scope ON tasks FOR UPDATE
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()))
    WITH CHECK (done_by IS NULL OR done_by = (SELECT acting_staff_id()));

ALTER TABLE complaints ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON complaints FOR ALL
    USING ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()))
    WITH CHECK ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id()));

-- A manager assigns butlers of their own project to their own grids, from at most a year ahead.
ALTER TABLE grid_assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY authenticated ON grid_assignments FOR SELECT USING ((SELECT acting_staff_id()) IS NOT NULL);
CREATE POLICY managed ON grid_assignments FOR INSERT WITH CHECK (
    (SELECT acting_role()) = 'manager' AND project_id = (SELECT acting_project_id())
    AND from_date <= current_date + 366
    AND EXISTS (SELECT 1 FROM staff s WHERE s.id = staff_id AND s.role = 'butler' AND s.project_id = grid_assignments.project_id));
CREATE POLICY managed_update ON grid_assignments FOR UPDATE
    USING ((SELECT acting_role()) = 'manager' AND project_id = (SELECT acting_project_id()))
    WITH CHECK (project_id = (SELECT acting_project_id())
        AND EXISTS (SELECT 1 FROM staff s WHERE s.id = staff_id AND s.role = 'butler' AND s.project_id = grid_assignments.project_id));

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_actor ON events FOR INSERT WITH CHECK (staff_id IS NOT DISTINCT FROM (SELECT acting_staff_id()));

-- The call-centre lookup, final form (replaces 0008's): the search runs inside, so the caller
-- never reads residents; the scope is the actor's (agent: the company; manager: their project;
-- butler: a house card of the grids they serve today, no searches); every lookup is audited
-- in the actor's name and every refusal is recorded (the function returns the refusal instead
-- of raising, so the refusal row is kept). p_value NULL: a malformed query, checked for the
-- right to look up only. Kinds: phone, house, name, and card (one house, GET /v1/houses).
DROP FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]);

CREATE FUNCTION household_lookup(p_actor integer, p_kind text, p_query text, p_value text, p_revealed boolean)
RETURNS TABLE (house text, card json, refused text)
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
    v_refusal text;
BEGIN
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
                WHERE rp.phone = p_value AND (v_role = 'agent' OR hr.project_id = v_project) LIMIT 50);
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
                  AND (v_role = 'agent' OR hr.project_id = v_project)
                LIMIT 50);
        ELSE
            RAISE EXCEPTION 'unknown lookup kind %', p_kind USING ERRCODE = '22023';
        END IF;
    END IF;
    IF v_refusal IS NOT NULL THEN
        INSERT INTO lookup_refusals (agent, query_kind, query, reason)
        VALUES (coalesce(v_employee, '#' || p_actor), CASE WHEN p_kind = 'card' THEN 'house' ELSE p_kind END, p_query, v_refusal);
        RETURN QUERY SELECT NULL::text, NULL::json, v_refusal;
        RETURN;
    END IF;
    IF p_value IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO lookup_audit (agent_id, query_kind, query, revealed, houses)
    SELECT p_actor, CASE WHEN p_kind = 'card' THEN 'house' ELSE p_kind END, p_query, p_revealed,
           coalesce(array_agg(h.code ORDER BY h.code), '{}')
    FROM houses h WHERE h.id = ANY(v_ids);
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
        -- A corrected note shows as corrected (the original stays in touchpoints).
        'recent', (SELECT coalesce(json_agg(json_build_object(
                'at', to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00', 'kind', t.kind,
                'note', coalesce((SELECT c.note FROM touchpoint_corrections c WHERE c.touchpoint_id = t.id ORDER BY c.id DESC LIMIT 1), t.note))
                ORDER BY t.at DESC), '[]')
            FROM (SELECT tp.id, tp.at, tp.kind, tp.note FROM touchpoints tp WHERE tp.house_id = h.id ORDER BY tp.at DESC LIMIT 10) t),
        'residents', (SELECT coalesce(json_agg(json_build_object(
                'name', r.name,
                'phone', CASE WHEN p_revealed THEN r.phone
                              WHEN length(r.phone) >= 7 THEN left(r.phone, 3) || '****' || right(r.phone, 4)
                              ELSE repeat('*', length(r.phone)) END,
                'role', hr.role, 'tags', hr.tags)
                ORDER BY array_position(ARRAY['owner', 'family', 'tenant'], hr.role), r.name), '[]')
            FROM house_residents hr JOIN residents r ON r.id = hr.resident_id
            WHERE hr.house_id = h.id)), NULL::text
    FROM houses h
    LEFT JOIN grid_houses gh ON gh.house_id = h.id
    LEFT JOIN grids g ON g.id = gh.grid_id
    LEFT JOIN LATERAL (SELECT a.staff_id FROM (SELECT ga.staff_id, ga.to_date FROM grid_assignments ga
                                WHERE ga.grid_id = g.id AND ga.from_date <= current_date ORDER BY ga.from_date DESC LIMIT 1) a
                       WHERE a.to_date IS NULL OR a.to_date >= current_date) ga ON true
    LEFT JOIN staff st ON st.id = ga.staff_id
    WHERE h.id = ANY(v_ids)
    ORDER BY h.code;
END $$;

-- The server's entry: the actor is whoever holds the token (verified here, in the same round
-- trip as the lookup); an invalid token is refused without an audit row (there is nobody to name).
CREATE FUNCTION call_centre_lookup(p_token text, p_kind text, p_query text, p_value text, p_revealed boolean)
RETURNS TABLE (house text, card json, refused text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_actor integer;
BEGIN
    SELECT t.staff_id INTO v_actor FROM api_tokens t
    WHERE t.token_hash = sha256(convert_to(p_token, 'UTF8')) AND t.revoked_at IS NULL;
    IF v_actor IS NULL THEN
        RETURN QUERY SELECT NULL::text, NULL::json, 'unauthorized'::text;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM household_lookup(v_actor, p_kind, p_query, p_value, p_revealed);
END $$;

-- A refusal the server's checks made (e.g. a butler asking for another butler's house card),
-- recorded in the name of the token's holder.
CREATE FUNCTION record_lookup_refusal(p_kind text, p_query text, p_reason text) RETURNS void
LANGUAGE sql SECURITY DEFINER AS $$
    INSERT INTO lookup_refusals (agent, query_kind, query, reason)
    SELECT s.employee_no, p_kind, p_query, p_reason FROM staff s WHERE s.id = acting_staff_id()
$$;

-- Functions that run as the owner see only this schema's objects, then pg_temp (a caller's
-- temporary view cannot stand in for a table).
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['acting_staff_id()', 'acting_role()', 'acting_project_id()', 'token_principal(text)',
                             'household_lookup(integer, text, text, text, boolean)',
                             'call_centre_lookup(text, text, text, text, boolean)',
                             'record_lookup_refusal(text, text, text)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- The server's privileges, final form (replaces 0010's function; `db migrate` re-runs it):
-- no reading of residents, their phones or the token table (only through the functions
-- above); no UPDATE of records; INSERT where the policies above bind the row to the actor.
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, house_residents, grids, grid_houses, grid_assignments,
        entrustments, touchpoints, touchpoint_corrections, standards, calendar_days, inspections, patrols, tasks,
        plan_runs, products, orders, complaints, alerts, holiday_arrivals TO %I', p_role);
    EXECUTE format('GRANT INSERT ON touchpoints, touchpoint_corrections, inspections, patrols, tasks, plan_runs, events,
        complaints, grid_assignments TO %I', p_role);
    EXECUTE format('GRANT UPDATE ON tasks, plan_runs, complaints, grid_assignments TO %I', p_role);
    -- Assigning a butler locks the grid row (SELECT … FOR UPDATE needs an updatable column);
    -- the id cannot actually change (it is referenced), name and phone stay the owner's.
    EXECUTE format('GRANT UPDATE (id) ON grids TO %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION acting_staff_id(), acting_role(), acting_project_id(), token_principal(text),
        call_centre_lookup(text, text, text, text, boolean), record_lookup_refusal(text, text, text) TO %I', p_role);
END $$;
