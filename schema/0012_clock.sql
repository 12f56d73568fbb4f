-- The clock (issue 12): jobs run on their own (`butler jobs run`, or `butler serve`), every run
-- on record; the deadline sweep marks tasks overdue at their due time and escalates what the
-- standards say to escalate; reads no longer plan (the server's role loses plan_runs).

-- One row per run of a job. `slot` is the scheduled instant the run is for (the day's 00:05
-- for daily planning, the minute for the sweep): at most one successful run per job and slot,
-- so two processes never both do a slot's work.
CREATE TABLE job_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job         text NOT NULL,
    slot        timestamptz NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text NOT NULL CHECK (outcome IN ('ok', 'failed')),
    rows        integer NOT NULL DEFAULT 0,
    detail      jsonb NOT NULL DEFAULT '{}',
    error       text
);
CREATE UNIQUE INDEX job_runs_one_success_per_slot ON job_runs (job, slot) WHERE outcome = 'ok';
CREATE INDEX job_runs_latest ON job_runs (job, started_at DESC);

-- When the sweep found the task past its due time (NULL: done in time, or not yet due).
ALTER TABLE tasks ADD COLUMN overdue_at timestamptz;
-- The sweep's two probes: open, unswept tasks by due date and by due instant.
CREATE INDEX tasks_unswept_by_day ON tasks (due_date) WHERE done_at IS NULL AND overdue_at IS NULL AND due_at IS NULL;
CREATE INDEX tasks_unswept_by_instant ON tasks (due_at) WHERE done_at IS NULL AND overdue_at IS NULL AND due_at IS NOT NULL;

-- Overdue open tasks per project, for GET /metrics.
CREATE INDEX tasks_overdue_open ON tasks (project_id) WHERE done_at IS NULL AND overdue_at IS NOT NULL;

-- What GET /metrics shows of the database: counts and times only (no personal data), readable
-- by the server's role without a token (a scrape has none) through this function alone.
CREATE FUNCTION clock_metrics() RETURNS TABLE (metric text, label text, value double precision)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    -- Counted per project id first (an index-only scan of tasks_overdue_open), then named.
    SELECT 'overdue_tasks', p.code, coalesce(o.n, 0)::double precision
    FROM projects p LEFT JOIN (SELECT project_id, count(*) AS n FROM tasks
                               WHERE done_at IS NULL AND overdue_at IS NOT NULL GROUP BY project_id) o ON o.project_id = p.id
    UNION ALL
    SELECT 'job_last_success', r.job, extract(epoch FROM max(r.finished_at))
    FROM job_runs r WHERE r.outcome = 'ok' GROUP BY r.job
    UNION ALL
    SELECT 'job_last_duration', l.job, extract(epoch FROM l.finished_at - l.started_at)
    FROM (SELECT DISTINCT ON (job) job, started_at, finished_at FROM job_runs ORDER BY job, started_at DESC, id DESC) l
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION clock_metrics() SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION clock_metrics() FROM PUBLIC;

-- Escalations the sweep raises on the project manager's list.
INSERT INTO standards (code, name, cadence, per_period, working_days, interval_days, deadline_hours, priority, source) VALUES
    ('complaint_escalation', '投诉回访超时升级', 'when a complaint follow-up passes its deadline', NULL, NULL, NULL, NULL, 1, '002 #19, 000'),
    ('report_escalation',    '查验报告超时',     'when an inspection report passes its deadline', NULL, NULL, NULL, NULL, 1, '002 #13-15, #25');

-- The server's privileges, final form (replaces 0011's): as before, without plan_runs (reads
-- never plan; the daily planning job does, as the owner).
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
        call_centre_lookup(text, text, text, text, boolean), record_lookup_refusal(text, text, text), clock_metrics() TO %I', p_role);
END $$;

-- The events log's append-only trigger named lookup_audit in its message (0004 reused 0002's
-- function); it now names its own table (0009's function says TG_TABLE_NAME).
DROP TRIGGER events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_log_change();
