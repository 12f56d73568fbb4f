-- Issue 16: what the web console's month page (/project/report, read by the server's role under
-- row-level security) needs to be right and fast.
--
-- 1. The arrears policies of 0019 call arrears_visible(house_id, project_id) per row: a SQL
--    function with a CASE over subqueries, which PostgreSQL cannot inline into the policy, so a
--    manager's month read ran it once per arrears row (ML02 at company scale: about 33,000 calls,
--    the report's fee query 7.7 s as the server against 0.13-0.23 s as the owner). The same rule,
--    written inline: the acting role, project and staff are InitPlans evaluated once, and the
--    butler's houses an uncorrelated subquery hashed once. Same rows visible as before (0019: the
--    project's managers; the butler of the grids they serve today; nobody else).
DROP POLICY in_scope ON arrears;
CREATE POLICY in_scope ON arrears FOR SELECT USING (
    CASE (SELECT acting_role())
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'butler' THEN house_id IN (
            SELECT gh.house_id FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
            WHERE ga.staff_id = (SELECT acting_staff_id())
              AND ga.from_date <= current_date AND (ga.to_date IS NULL OR ga.to_date >= current_date))
        ELSE false END);
DROP POLICY in_scope ON arrears_history;
CREATE POLICY in_scope ON arrears_history FOR SELECT USING (
    CASE (SELECT acting_role())
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'butler' THEN house_id IN (
            SELECT gh.house_id FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
            WHERE ga.staff_id = (SELECT acting_staff_id())
              AND ga.from_date <= current_date AND (ga.to_date IS NULL OR ga.to_date >= current_date))
        ELSE false END);
DROP POLICY in_scope ON arrears_escalations;
CREATE POLICY in_scope ON arrears_escalations FOR SELECT USING (
    CASE (SELECT acting_role())
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'butler' THEN house_id IN (
            SELECT gh.house_id FROM grid_houses gh JOIN grid_assignments ga ON ga.grid_id = gh.grid_id
            WHERE ga.staff_id = (SELECT acting_staff_id())
              AND ga.from_date <= current_date AND (ga.to_date IS NULL OR ga.to_date >= current_date))
        ELSE false END);

-- 2. The month page shows the repair figures against the company's satisfaction target
--    (assessment_weights, 0017), which the server's role could not read. The server's
--    privileges, final form (replaces 0019's): everything it granted, plus reading the weights
--    (company settings, no personal data).
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, house_residents, grids, grid_houses, grid_assignments,
        entrustments, touchpoints, touchpoint_corrections, standards, calendar_days, inspections, patrols, tasks,
        plan_runs, products, orders, complaints, alerts, holiday_arrivals, job_runs,
        repair_settings, repair_orders, repair_rounds, repair_events, repair_breaches,
        arrears, arrears_history, arrears_escalations, assessment_weights TO %I', p_role);
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
