-- Issue 16, found by `ops/bench console`: the repair orders' policies of 0016 call
-- repair_visible(project_id, technician_id, status) per row, a SQL function with a CASE over
-- subqueries that PostgreSQL cannot inline into the policy, so a manager's month read ran it
-- once per order and again per round through repair_rounds' policy (ML02, November: the
-- assessment's statement 54-60 ms as the server against 1.3-2.6 ms as the owner). The same rule,
-- written inline as 0021 does for arrears: the acting role, project and staff are InitPlans
-- evaluated once per statement. Same rows visible and changeable as before (0016): agents every
-- order; managers their project's; technicians the orders dispatched to them and the undispatched
-- open orders of their project. The WITH CHECK of changed_in_scope is 0016's, unchanged.
DROP POLICY in_scope ON repair_orders;
CREATE POLICY in_scope ON repair_orders FOR SELECT USING (
    CASE (SELECT acting_role())
        WHEN 'agent' THEN true
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'technician' THEN technician_id = (SELECT acting_staff_id())
            OR (technician_id IS NULL AND status = 'open' AND project_id = (SELECT acting_project_id()))
        ELSE false END);
DROP POLICY changed_in_scope ON repair_orders;
CREATE POLICY changed_in_scope ON repair_orders FOR UPDATE
    USING (CASE (SELECT acting_role())
        WHEN 'agent' THEN true
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'technician' THEN technician_id = (SELECT acting_staff_id())
            OR (technician_id IS NULL AND status = 'open' AND project_id = (SELECT acting_project_id()))
        ELSE false END)
    WITH CHECK (CASE (SELECT acting_role())
        WHEN 'agent' THEN true
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'technician' THEN technician_id = (SELECT acting_staff_id())
        ELSE false END);
