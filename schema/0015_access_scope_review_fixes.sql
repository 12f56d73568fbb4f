-- The review fixes of the access-scope work (issue 11), forward from 0011 as it first landed.
-- 0011 was edited after it had landed on main; this file restores that rule: 0011 is back to
-- its landed text, and what the edits changed is applied here, after 0012-0014 (none of which
-- depends on it: 0014 replaces 0011's lookup functions, 0012 its grant function).

-- Tokens reach the database only as their SHA-256 (hex), never in the clear: a statement log
-- cannot leak a usable token. The server binds `butler.token_sha256` per transaction.
CREATE OR REPLACE FUNCTION acting_staff_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT t.staff_id FROM api_tokens t
    WHERE t.token_hash = decode(current_setting('butler.token_sha256', true), 'hex') AND t.revoked_at IS NULL
$$;

-- The server authenticates a request: verifies the token's SHA-256 (hex) and returns who it belongs to.
DROP FUNCTION token_principal(text);
CREATE FUNCTION token_principal(p_token_sha256 text)
RETURNS TABLE (staff_id integer, employee_no text, name text, role text, project_id integer)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.id, s.employee_no, s.name, s.role, s.project_id
    FROM api_tokens t JOIN staff s ON s.id = t.staff_id
    WHERE t.token_hash = decode(p_token_sha256, 'hex') AND t.revoked_at IS NULL
$$;
-- As 0011 does: SECURITY DEFINER functions resolve names in this schema only (a temporary
-- table cannot stand in for a table), and nobody but the server's role may call them.
-- CREATE OR REPLACE resets a function's settings, so both are pinned again.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['acting_staff_id()', 'token_principal(text)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- Open tasks are planned work: they may be completed, re-prioritised, moved or withdrawn; a
-- done task is a record and never changes.
CREATE OR REPLACE FUNCTION task_completed_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.done_at IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'task % is done; a completed task is a record', OLD.id USING ERRCODE = 'BU409';
END $$;
DROP TRIGGER tasks_completed_once ON tasks;
CREATE TRIGGER tasks_completed_once BEFORE UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_completed_once();

-- Record tables refuse TRUNCATE too, for every role.
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON touchpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();
CREATE TRIGGER inspections_no_truncate BEFORE TRUNCATE ON inspections
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();
CREATE TRIGGER patrols_no_truncate BEFORE TRUNCATE ON patrols
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();
CREATE TRIGGER tasks_no_truncate BEFORE TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();

-- A correction as recording the touchpoint: its project (the subquery sees touchpoints through
-- their own policy), and for agents only the call centre's kinds.
DROP POLICY recorded_by_actor ON touchpoint_corrections;
CREATE POLICY recorded_by_actor ON touchpoint_corrections FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id())
    AND EXISTS (SELECT 1 FROM touchpoints t WHERE t.id = touchpoint_id AND t.project_id = touchpoint_corrections.project_id
                AND CASE (SELECT acting_role())
                    WHEN 'agent' THEN t.kind IN ('call_in', 'call_out', 'message', 'complaint', 'compliment')
                    WHEN 'butler' THEN t.project_id = (SELECT acting_project_id())
                    WHEN 'manager' THEN t.project_id = (SELECT acting_project_id())
                    ELSE false END));

-- The server creates only the tasks its records open (a complaint's follow-up, an inspection's
-- report), open and in the actor's scope; it completes tasks of its project (butlers, managers)
-- in its own name; the columns it may change are granted one by one (0012).
DROP POLICY planned ON tasks;
CREATE POLICY opened_by_records ON tasks FOR INSERT WITH CHECK (
    done_at IS NULL AND done_by IS NULL
    AND standard IN ('complaint_followup', 'inspection_report')
    AND ((SELECT acting_role()) = 'agent' OR project_id = (SELECT acting_project_id())));
DROP POLICY completed_in_scope ON tasks;
CREATE POLICY completed_in_scope ON tasks FOR UPDATE
    USING ((SELECT acting_role()) IN ('butler', 'manager') AND project_id = (SELECT acting_project_id()))
    WITH CHECK (project_id = (SELECT acting_project_id()) AND (done_by IS NULL OR done_by = (SELECT acting_staff_id())));

-- Ending an assignment (to_date) or correcting its butler (staff_id: the trigger below checks
-- the new butler) are the only changes (UPDATE (staff_id, to_date) is granted), within a year.
DROP POLICY managed_update ON grid_assignments;
CREATE POLICY managed_update ON grid_assignments FOR UPDATE
    USING ((SELECT acting_role()) = 'manager' AND project_id = (SELECT acting_project_id()))
    WITH CHECK (project_id = (SELECT acting_project_id()) AND (to_date IS NULL OR to_date <= current_date + 366));

-- Whoever writes it, an assignment's butler is a butler of the grid's project.
CREATE FUNCTION assignment_butler_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM staff s WHERE s.id = NEW.staff_id AND s.role = 'butler' AND s.project_id = NEW.project_id) THEN
        RAISE EXCEPTION 'staff % is not a butler of the grid''s project', NEW.staff_id USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER grid_assignments_butler_of_project BEFORE INSERT OR UPDATE OF staff_id ON grid_assignments
    FOR EACH ROW EXECUTE FUNCTION assignment_butler_of_project();

-- Every event names its actor.
DROP POLICY by_actor ON events;
CREATE POLICY by_actor ON events FOR INSERT WITH CHECK (staff_id = (SELECT acting_staff_id()));
