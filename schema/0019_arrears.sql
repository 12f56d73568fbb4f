-- Fee arrears (物业费催缴, issue 15, 002 #21): the fee system's snapshots of what each house owes
-- per period, every snapshot's effect on record, the collection attempts as touchpoints, the
-- monthly contact and 28th escalation tasks, and the amounts readable by the house's butler and
-- the project's managers only (agents and technicians never; the lookup shows a yes/no flag).

-- 002 #21: collection by phone, message and reminder letter; every attempt is a touchpoint.
ALTER TABLE touchpoints DROP CONSTRAINT touchpoints_kind_check;
ALTER TABLE touchpoints ADD CONSTRAINT touchpoints_kind_check CHECK (kind IN (
    'call_in', 'call_out', 'visit', 'meeting', 'message', 'complaint', 'compliment', 'opinion',
    'collection_call', 'collection_message', 'collection_letter'));

-- What a house owes for one period (a month, stored as its first day), as the fee system last
-- reported it. `butler import arrears` upserts by house and period; `updated_at` is the clock of
-- the import that wrote the row. Paid never exceeds due (the import refuses it).
CREATE TABLE arrears (
    house_id        bigint NOT NULL,
    project_id      integer NOT NULL,
    period          date NOT NULL CHECK (extract(day FROM period) = 1),
    amount_due_fen  bigint NOT NULL CHECK (amount_due_fen >= 0),
    amount_paid_fen bigint NOT NULL CHECK (amount_paid_fen >= 0 AND amount_paid_fen <= amount_due_fen),
    -- Something of the period is unpaid. A column of its own so the planner has statistics for
    -- it: a comparison of two columns is guessed at a third of the rows (measured: a project's
    -- list planned as a scan of every house, 60-80 ms, for 104 houses owing among 226,001).
    owing           boolean GENERATED ALWAYS AS (amount_paid_fen < amount_due_fen) STORED,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (house_id, period),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id)
);
-- What is still owed: small (most bills are paid), read by the planner, `arrears list` and the lookup flag.
CREATE INDEX arrears_owing ON arrears (project_id, house_id, period) WHERE owing;
-- The collection rate of a project-month (the report).
CREATE INDEX arrears_project_period ON arrears (project_id, period);

-- Every change a snapshot made, append-only: a period first seen (previous_* NULL) or its amounts
-- changed, at the clock of the import (`recorded_at`). When a debt was paid is the first row
-- whose paid amount reaches the due one. Written by the statement triggers below, whoever writes
-- `arrears`, in one set-based insert per statement (a row trigger costs seconds per million rows).
CREATE TABLE arrears_history (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id          bigint NOT NULL,
    project_id        integer NOT NULL,
    period            date NOT NULL,
    amount_due_fen    bigint NOT NULL,
    amount_paid_fen   bigint NOT NULL,
    previous_due_fen  bigint,
    previous_paid_fen bigint,
    recorded_at       timestamptz NOT NULL
);
CREATE INDEX arrears_history_house ON arrears_history (house_id, period, id);
CREATE TRIGGER arrears_history_append_only BEFORE UPDATE OR DELETE ON arrears_history
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER arrears_history_no_truncate BEFORE TRUNCATE ON arrears_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();

CREATE FUNCTION arrears_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO arrears_history (house_id, project_id, period, amount_due_fen, amount_paid_fen, recorded_at)
    SELECT n.house_id, n.project_id, n.period, n.amount_due_fen, n.amount_paid_fen, n.updated_at FROM new_rows n;
    RETURN NULL;
END $$;
CREATE FUNCTION arrears_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO arrears_history (house_id, project_id, period, amount_due_fen, amount_paid_fen,
                                 previous_due_fen, previous_paid_fen, recorded_at)
    SELECT n.house_id, n.project_id, n.period, n.amount_due_fen, n.amount_paid_fen, o.amount_due_fen, o.amount_paid_fen, n.updated_at
    FROM new_rows n JOIN old_rows o ON o.house_id = n.house_id AND o.period = n.period
    WHERE (n.amount_due_fen, n.amount_paid_fen) IS DISTINCT FROM (o.amount_due_fen, o.amount_paid_fen);
    RETURN NULL;
END $$;
-- A bill is never taken back in butler (the history would lose it); nor does it move to another house or period.
CREATE FUNCTION arrears_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.house_id, NEW.project_id, NEW.period) = (OLD.house_id, OLD.project_id, OLD.period) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'arrears of house % for % are kept: a snapshot changes their amounts only', OLD.house_id, OLD.period
        USING ERRCODE = 'BU409';
END $$;
CREATE TRIGGER arrears_history_on_insert AFTER INSERT ON arrears
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION arrears_inserted();
CREATE TRIGGER arrears_history_on_update AFTER UPDATE ON arrears
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION arrears_updated();
CREATE TRIGGER arrears_keys_kept BEFORE UPDATE OF house_id, project_id, period OR DELETE ON arrears
    FOR EACH ROW EXECUTE FUNCTION arrears_kept();
CREATE TRIGGER arrears_no_truncate BEFORE TRUNCATE ON arrears
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();

-- 002 #21: the houses the 28th's escalation handed to the project head, with the attempts of
-- the month so far (`arrears list` shows them as escalated; the escalation task closes when all
-- of them have paid). Written by the planner (the owner).
CREATE TABLE arrears_escalations (
    house_id   bigint NOT NULL,
    project_id integer NOT NULL,
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    task_id    bigint NOT NULL,
    attempts   integer NOT NULL CHECK (attempts >= 0),
    PRIMARY KEY (house_id, month),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id)
);
CREATE INDEX arrears_escalations_task ON arrears_escalations (task_id);
CREATE INDEX arrears_escalations_project ON arrears_escalations (project_id, month);

INSERT INTO standards (code, name, cadence, per_period, working_days, interval_days, deadline_hours, priority, source) VALUES
    ('arrears_contact',    '欠费催缴', 'from the first working day of the month, due the 28th (or the working day before)', NULL, NULL, NULL, NULL, 2, '002 #21'),
    ('arrears_escalation', '欠费上报', 'the 28th (or the working day before): the houses still unpaid, to the project head', NULL, NULL, NULL, NULL, 1, '002 #21');

-- Row-level security for the server's role (the owner, i.e. the CLI, imports and the planner,
-- bypasses it): amounts are the house's butler's (the grids they serve today) and the project's
-- managers'; agents and technicians see no row.
CREATE FUNCTION arrears_visible(p_house bigint, p_project integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE (SELECT acting_role())
        WHEN 'manager' THEN p_project = (SELECT acting_project_id())
        WHEN 'butler' THEN EXISTS (
            SELECT 1 FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
            WHERE gh.house_id = p_house AND ga.staff_id = (SELECT acting_staff_id())
              AND ga.from_date <= current_date AND (ga.to_date IS NULL OR ga.to_date >= current_date))
        ELSE false END
$$;
ALTER TABLE arrears ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON arrears FOR SELECT USING (arrears_visible(house_id, project_id));
ALTER TABLE arrears_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON arrears_history FOR SELECT USING (arrears_visible(house_id, project_id));
ALTER TABLE arrears_escalations ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON arrears_escalations FOR SELECT USING (arrears_visible(house_id, project_id));

-- The call-centre lookup, final form (replaces 0014's, same signature and result): the card
-- gains `in_arrears`, a yes/no flag (something owed for a month before this one), never an
-- amount; it is read inside the audited call like the rest of the card.
CREATE OR REPLACE FUNCTION household_lookup(p_actor integer, p_kind text, p_query text, p_value text, p_revealed boolean,
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
        -- 002 #21: whether anything is owed for a month before this one; never how much.
        'in_arrears', EXISTS (SELECT 1 FROM arrears a WHERE a.project_id = h.project_id AND a.house_id = h.id
                              AND a.owing AND a.period < date_trunc('month', current_date)),
        'occupancy', h.occupancy,
        'open_tasks', (SELECT count(*) FROM tasks t WHERE t.house_id = h.id AND t.done_at IS NULL AND t.window_start <= current_date),
        'project', (SELECT p.name FROM projects p WHERE p.id = h.project_id),
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
    IF NOT FOUND THEN
        RETURN QUERY SELECT v_employee, NULL::text, NULL::json, NULL::text, v_total;
    END IF;
END $$;

-- As 0011 and 0016 do: functions resolve names in this schema, then pg_temp; CREATE OR REPLACE
-- reset the lookup's settings, so they are pinned (and PUBLIC's right revoked) again.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['household_lookup(integer, text, text, text, boolean, integer, integer)',
                             'arrears_visible(bigint, integer)', 'arrears_inserted()', 'arrears_updated()', 'arrears_kept()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION household_lookup(integer, text, text, text, boolean, integer, integer) FROM PUBLIC;

-- The server's privileges, final form (replaces 0016's): everything it granted, plus reading the
-- arrears tables (in scope: the policies above). Snapshots and escalations are the owner's
-- (imports, the planner); collection attempts are touchpoints, already granted.
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, house_residents, grids, grid_houses, grid_assignments,
        entrustments, touchpoints, touchpoint_corrections, standards, calendar_days, inspections, patrols, tasks,
        plan_runs, products, orders, complaints, alerts, holiday_arrivals, job_runs,
        repair_settings, repair_orders, repair_rounds, repair_events, repair_breaches,
        arrears, arrears_history, arrears_escalations TO %I', p_role);
    EXECUTE format('GRANT INSERT ON touchpoints, touchpoint_corrections, inspections, patrols, tasks, events,
        complaints, grid_assignments, repair_orders, repair_events TO %I', p_role);
    -- Column by column: completing a task (and a repeat complaint raising its follow-up's
    -- priority), a complaint's level, ending or correcting an assignment.
    EXECUTE format('GRANT UPDATE (done_at, done_by, done_note, priority) ON tasks TO %I', p_role);
    EXECUTE format('GRANT UPDATE (level) ON complaints TO %I', p_role);
    EXECUTE format('GRANT UPDATE (staff_id, to_date) ON grid_assignments TO %I', p_role);
    EXECUTE format('GRANT UPDATE (id) ON grids TO %I', p_role);
    -- A repair order's loop: never its house, project, opening or who opened it.
    EXECUTE format('GRANT UPDATE (technician_id, grabbed, status, dispatched_at, signed_at, contacted_at, appointment_at,
        completed_at, followed_up_at, sign_due, contact_due, complete_due, followup_due, photos, rating, round,
        delay_reason) ON repair_orders TO %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION acting_staff_id(), acting_role(), acting_project_id(), token_principal(text),
        call_centre_lookup(text, text, text, text, boolean, integer, integer), record_lookup_refusal(text, text, text), clock_metrics(),
        repair_holder(bigint) TO %I', p_role);
END $$;

-- The 28th's escalation, like the sweep's (0016), may wait on a project without a manager with
-- nobody named: never on a butler's grid.
ALTER TABLE tasks DROP CONSTRAINT tasks_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_check CHECK (
    grid_id IS NOT NULL OR staff_id IS NOT NULL
    OR standard IN ('complaint_escalation', 'report_escalation', 'repair_escalation', 'arrears_escalation'));
