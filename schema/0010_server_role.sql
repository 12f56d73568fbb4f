-- Least privilege for the network-facing server. `butler serve` connects as its own role
-- (butler_web, which ops/ creates; any name via `butler db grant ROLE`) that may read the
-- registry and what the API shows and write what the routes record (touchpoints, inspections,
-- task completions, complaints, grid assignments, refused lookups), and nothing else: no DDL,
-- no TRUNCATE, no DELETE, no reading of the audit logs, no audit rows but through
-- call_centre_lookup (0008). Migrations and imports stay with the owner role (imports rebuild
-- indexes, which needs ownership). The function revokes first, so calling it again always
-- leaves exactly this set: `db migrate` calls it for butler_web after every run, so a role
-- created later or a table added by a later migration (which re-creates this function) is covered.
CREATE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, residents, resident_phones, house_residents, grids,
        grid_houses, grid_assignments, entrustments, touchpoints, standards, calendar_days, inspections, patrols,
        tasks, plan_runs, products, orders, complaints, alerts, holiday_arrivals, api_tokens TO %I', p_role);
    EXECUTE format('GRANT INSERT ON touchpoints, inspections, patrols, tasks, plan_runs, events, complaints,
        grid_assignments, lookup_refusals TO %I', p_role);
    EXECUTE format('GRANT UPDATE ON tasks, plan_runs, inspections, complaints, grid_assignments TO %I', p_role);
    -- A re-sent touchpoint corrects its note (ON CONFLICT DO UPDATE); nothing else of it changes.
    EXECUTE format('GRANT UPDATE (note) ON touchpoints TO %I', p_role);
    -- Assigning a butler locks the grid row (SELECT … FOR UPDATE needs an updatable column);
    -- the id cannot actually change (it is referenced), name and phone stay the owner's.
    EXECUTE format('GRANT UPDATE (id) ON grids TO %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) TO %I', p_role);
END $$;
