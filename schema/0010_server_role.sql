-- Least privilege for the network-facing server. `butler serve` connects as its own role
-- (butler_web, which ops/ creates; any name via `butler db grant ROLE`) that may read the
-- registry and what the API shows, write what the API records (touchpoints, inspections,
-- task completions, orders, complaints, grid assignments, audit rows) and nothing else: no
-- DDL, no TRUNCATE, no DELETE, no reading or changing of the audit logs. Migrations and
-- imports stay with the owner role (imports rebuild indexes, which needs ownership).
-- A migration that adds a table the server uses re-creates this function and calls it again.
CREATE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, residents, resident_phones, house_residents, grids,
        grid_houses, grid_assignments, entrustments, touchpoints, standards, calendar_days, inspections, patrols,
        tasks, plan_runs, products, orders, complaints, alerts, holiday_arrivals, api_tokens TO %I', p_role);
    EXECUTE format('GRANT INSERT ON touchpoints, inspections, patrols, tasks, plan_runs, events, orders, complaints,
        alerts, holiday_arrivals, grid_assignments, lookup_audit, lookup_refusals TO %I', p_role);
    EXECUTE format('GRANT UPDATE ON tasks, plan_runs, inspections, orders, complaints, alerts, grid_assignments TO %I', p_role);
    -- A re-sent touchpoint corrects its note (ON CONFLICT DO UPDATE); nothing else of it changes.
    EXECUTE format('GRANT UPDATE (note) ON touchpoints TO %I', p_role);
    -- Assigning a butler locks the grid row (SELECT … FOR UPDATE needs an updatable column);
    -- the id cannot actually change (it is referenced), name and phone stay the owner's.
    EXECUTE format('GRANT UPDATE (id) ON grids TO %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) TO %I', p_role);
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'butler_web') THEN
        PERFORM grant_server_privileges('butler_web');
    END IF;
END $$;
