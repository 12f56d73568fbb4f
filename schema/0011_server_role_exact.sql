-- The server role gets exactly what the HTTP routes use (0010 also let it write orders, alerts
-- and holiday arrivals, which no route does) and can no longer write audit rows of its own:
-- call_centre_lookup runs as its owner and is the only way into lookup_audit, so every audit
-- row comes with the lookup it records. The function revokes first, so calling it again (every
-- `db migrate` does, for butler_web) always leaves the same set.
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
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

-- Runs as its owner with the search path it was created with (a caller cannot redirect it).
ALTER FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE EXECUTE ON FUNCTION call_centre_lookup(text, text, text, boolean, bigint[]) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'butler_web') THEN
        PERFORM grant_server_privileges('butler_web');
    END IF;
END $$;
