-- A company's repair history (issue 14, `butler import repairs`): each imported order keeps the
-- number it had in the company's old system, the key that makes a re-import a no-op.
ALTER TABLE repair_orders ADD COLUMN external_no text CHECK (external_no <> '' AND length(external_no) <= 64);
CREATE UNIQUE INDEX repair_orders_external_no ON repair_orders (external_no);

-- Only the import (the owner, who bypasses row-level security) writes a history number: an
-- order opened over the API is a new one. The server's role may not update the column either
-- (grant_server_privileges names the columns it may change).
CREATE POLICY history_by_owner ON repair_orders AS RESTRICTIVE FOR INSERT WITH CHECK (external_no IS NULL);

-- `repair list --project P --breached` (and the assessment's breach counts): from the breaches of
-- the project to their orders, an index-only scan instead of probing every order of the project.
CREATE INDEX repair_breaches_project_order ON repair_breaches (project_id, order_id);
