-- Repair orders (报修工单, issue 14, 000): the call centre's closed loop 接电-记录-派工-追踪-回访
-- with its time limits, every state change on record, breaches found by the deadline sweep,
-- and the same scope in the database as in ButlerStore/Registry/Scope.swift.

-- Technicians (维修工) belong to a project and receive its repair orders.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('butler', 'manager', 'agent', 'technician'));

-- 0011's policies (and 0015's) let in "an agent, or anyone of the project": a technician is of a project, so
-- they are re-created for the roles they meant (butlers and managers of the project). A
-- technician sees and writes the repair tables only (below).
DROP POLICY in_scope ON touchpoints;
CREATE POLICY in_scope ON touchpoints FOR SELECT
    USING (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                       WHEN 'technician' THEN false
                                       ELSE project_id = (SELECT acting_project_id()) END);
DROP POLICY in_scope ON touchpoint_corrections;
CREATE POLICY in_scope ON touchpoint_corrections FOR SELECT
    USING (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                       WHEN 'technician' THEN false
                                       ELSE project_id = (SELECT acting_project_id()) END);
DROP POLICY in_scope ON inspections;
CREATE POLICY in_scope ON inspections FOR SELECT
    USING (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                       WHEN 'technician' THEN false
                                       ELSE project_id = (SELECT acting_project_id()) END);
DROP POLICY in_scope ON patrols;
CREATE POLICY in_scope ON patrols FOR SELECT
    USING (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                       WHEN 'technician' THEN false
                                       ELSE project_id = (SELECT acting_project_id()) END);
DROP POLICY in_scope ON complaints;
CREATE POLICY in_scope ON complaints FOR ALL
    USING (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                       WHEN 'technician' THEN false
                                       ELSE project_id = (SELECT acting_project_id()) END)
    WITH CHECK (CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                            WHEN 'technician' THEN false
                                            ELSE project_id = (SELECT acting_project_id()) END);
-- The tasks a record opens (a complaint's follow-up, an inspection's report): not a technician's.
DROP POLICY opened_by_records ON tasks;
CREATE POLICY opened_by_records ON tasks FOR INSERT WITH CHECK (
    done_at IS NULL AND done_by IS NULL
    AND standard IN ('complaint_followup', 'inspection_report')
    AND CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                    WHEN 'technician' THEN false
                                    ELSE project_id = (SELECT acting_project_id()) END);

-- The time limits of 000, tunable, one row: an order is taken (dispatched or grabbed) within
-- 15 min of opening (`claim`), signed 15 min after dispatch (after opening for a grabbed order), contact 10 min after signing, complete the same day (complex: 3 working days
-- after), follow-up 48 h after completion. An order opened at or after `cutoff` counts as
-- opened the next calendar day (its "same day" is tomorrow). A table of its own rather than
-- `standards` columns: these are not frequencies of a butler's tasks, and the monthly
-- assessment (a later part) reads them together.
CREATE TABLE repair_settings (
    id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
    sign_minutes         integer NOT NULL DEFAULT 15 CHECK (sign_minutes > 0),
    contact_minutes      integer NOT NULL DEFAULT 10 CHECK (contact_minutes > 0),
    complex_working_days integer NOT NULL DEFAULT 3 CHECK (complex_working_days > 0),
    followup_hours       integer NOT NULL DEFAULT 48 CHECK (followup_hours > 0),
    cutoff               time NOT NULL DEFAULT '18:00'
);
INSERT INTO repair_settings DEFAULT VALUES;

CREATE TABLE repair_orders (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id       bigint NOT NULL,
    project_id     integer NOT NULL,
    category       text NOT NULL CHECK (category IN ('water', 'drainage', 'electric', 'gas', 'doors_windows',
                                                      'walls_floors', 'appliance', 'public_area', 'other')),
    description    text NOT NULL CHECK (description <> ''),
    caller_phone   text CHECK (caller_phone ~ '^[0-9]{5,15}$'),
    source         text NOT NULL DEFAULT 'phone' CHECK (source IN ('phone', 'wechat', 'app')),
    complex        boolean NOT NULL DEFAULT false,
    opened_at      timestamptz NOT NULL,
    opened_by      integer NOT NULL REFERENCES staff,
    -- The business day the order counts as opened on: the next day when opened after the cutoff.
    counted_on     date NOT NULL,
    technician_id  integer REFERENCES staff,
    grabbed        boolean NOT NULL DEFAULT false,
    status         text NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'dispatched', 'signed', 'contacted', 'completed', 'followed_up', 'reopened')),
    dispatched_at  timestamptz,
    signed_at      timestamptz,
    contacted_at   timestamptz,
    appointment_at timestamptz,
    completed_at   timestamptz,
    followed_up_at timestamptz,
    -- Deadlines per stage (NULL until the stage starts); a stage is on time when done at or before it.
    -- `claim`: the order waits for a technician (dispatch or grab) from its opening; the sign
    -- clock starts only when it has one (from the opening for a grab).
    claim_due      timestamptz NOT NULL,
    sign_due       timestamptz,
    contact_due    timestamptz,
    complete_due   timestamptz NOT NULL,
    followup_due   timestamptz,
    photos         text[] NOT NULL DEFAULT '{}',
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    -- Reopened this many times; completion and follow-up are per round (a reopened order does not pass).
    round          smallint NOT NULL DEFAULT 0 CHECK (round >= 0),
    delay_reason   text,
    -- The earliest deadline the sweep still has to look at (set by the trigger below); NULL: none.
    sweep_at       timestamptz,
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    CHECK ((technician_id IS NULL) = (status = 'open')),
    -- Each state with the timestamps of the steps before it, in order, whoever writes.
    CHECK (NOT grabbed OR technician_id IS NOT NULL),
    CHECK ((status = 'open') = (dispatched_at IS NULL)),
    CHECK ((status = 'open') = (sign_due IS NULL)),
    CHECK ((status IN ('open', 'dispatched')) = (signed_at IS NULL)),
    CHECK (signed_at >= dispatched_at),
    CHECK ((signed_at IS NULL) = (contact_due IS NULL)),
    CHECK ((status IN ('open', 'dispatched', 'signed')) = (contacted_at IS NULL)),
    CHECK (contacted_at >= signed_at),
    CHECK ((contacted_at IS NULL) = (appointment_at IS NULL)),
    CHECK ((status IN ('completed', 'followed_up')) = (completed_at IS NOT NULL)),
    CHECK ((completed_at IS NULL) = (followup_due IS NULL)),
    CHECK (completed_at IS NULL OR (completed_at >= contacted_at AND cardinality(photos) >= 1)),
    CHECK ((status = 'followed_up') = (followed_up_at IS NOT NULL)),
    CHECK ((status = 'followed_up') = (rating IS NOT NULL)),
    CHECK (followed_up_at >= completed_at),
    CHECK (status <> 'reopened' OR round > 0)
);
CREATE INDEX repair_orders_house ON repair_orders (house_id, opened_at DESC);
CREATE INDEX repair_orders_project ON repair_orders (project_id, opened_at);
CREATE INDEX repair_orders_technician_open ON repair_orders (technician_id) WHERE status NOT IN ('completed', 'followed_up');
-- The sweep's one probe: cheap when nothing is due.
CREATE INDEX repair_orders_sweep ON repair_orders (sweep_at) WHERE sweep_at IS NOT NULL;

-- Each round of an order (0, and one more per reopen) with its completion and follow-up, kept
-- when the order is reopened (the order row shows the current round): the monthly assessment
-- counts rounds and their ratings. Written by the trigger below only, as the order moves.
CREATE TABLE repair_rounds (
    order_id       bigint NOT NULL REFERENCES repair_orders,
    project_id     integer NOT NULL,
    round          smallint NOT NULL CHECK (round >= 0),
    complete_due   timestamptz NOT NULL,
    completed_at   timestamptz,
    -- The photos of this round's completion.
    photos         text[] NOT NULL DEFAULT '{}',
    followup_due   timestamptz,
    followed_up_at timestamptz,
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    PRIMARY KEY (order_id, round)
);
CREATE INDEX repair_rounds_project ON repair_rounds (project_id, order_id);

CREATE FUNCTION repair_round_kept() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO repair_rounds AS r (order_id, project_id, round, complete_due, completed_at, photos, followup_due, followed_up_at, rating)
    VALUES (NEW.id, NEW.project_id, NEW.round, NEW.complete_due, NEW.completed_at,
            CASE WHEN TG_OP = 'UPDATE' AND NEW.status = 'completed' AND OLD.status <> 'completed'
                 THEN NEW.photos[cardinality(OLD.photos) + 1:] ELSE '{}' END,
            NEW.followup_due, NEW.followed_up_at, NEW.rating)
    ON CONFLICT (order_id, round) DO UPDATE
        SET complete_due = EXCLUDED.complete_due, completed_at = EXCLUDED.completed_at,
            photos = CASE WHEN EXCLUDED.photos = '{}' THEN r.photos ELSE EXCLUDED.photos END,
            followup_due = EXCLUDED.followup_due, followed_up_at = EXCLUDED.followed_up_at, rating = EXCLUDED.rating;
    RETURN NULL;
END $$;
CREATE TRIGGER repair_orders_round_kept AFTER INSERT OR UPDATE ON repair_orders
    FOR EACH ROW EXECUTE FUNCTION repair_round_kept();
REVOKE EXECUTE ON FUNCTION repair_round_kept() FROM PUBLIC;

-- Every state change (and every delay reason) of an order: who and when. Append-only. `at` is
-- when it happened as told (a technician may tell at most an hour late: RepairStore), and
-- `recorded_at` when the database took it, which nobody chooses: backdating shows.
CREATE TABLE repair_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES repair_orders,
    project_id  integer NOT NULL,
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT statement_timestamp(),
    kind       text NOT NULL CHECK (kind IN ('opened', 'dispatched', 'grabbed', 'signed', 'contacted', 'delayed',
                                             'completed', 'followed_up', 'reopened')),
    staff_id   integer NOT NULL REFERENCES staff,
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX repair_events_order ON repair_events (order_id, at, id);
CREATE TRIGGER repair_events_append_only BEFORE UPDATE OR DELETE ON repair_events
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER repair_events_no_truncate BEFORE TRUNCATE ON repair_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();

-- A stage done late (or not at all) by its deadline, found by the sweep; `at` is the deadline.
-- Claim, sign and contact happen once (round 0); completion and follow-up once per round.
CREATE TABLE repair_breaches (
    order_id   bigint NOT NULL REFERENCES repair_orders,
    project_id integer NOT NULL,
    stage      text NOT NULL CHECK (stage IN ('claim', 'sign', 'contact', 'complete', 'followup')),
    round      smallint NOT NULL DEFAULT 0,
    at         timestamptz NOT NULL,
    PRIMARY KEY (order_id, stage, round)
);
CREATE INDEX repair_breaches_project ON repair_breaches (project_id, at);
CREATE TRIGGER repair_breaches_append_only BEFORE UPDATE OR DELETE ON repair_breaches
    FOR EACH ROW EXECUTE FUNCTION refuse_record_change();
CREATE TRIGGER repair_breaches_no_truncate BEFORE TRUNCATE ON repair_breaches
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change();

-- The earliest deadline of a stage that is late or still open and not yet recorded as breached.
-- A stage is on time when done at or before its deadline, but completion before it: its
-- deadline is the midnight that ends the day (`exclusive`), so 23:59:59.9 is still that day.
CREATE FUNCTION repair_sweep_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sweep_at := (
        SELECT min(s.due) FROM (VALUES ('claim', NEW.claim_due, NEW.dispatched_at, 0::smallint, false),
                                       ('sign', NEW.sign_due, NEW.signed_at, 0::smallint, false),
                                       ('contact', NEW.contact_due, NEW.contacted_at, 0::smallint, false),
                                       ('complete', NEW.complete_due, NEW.completed_at, NEW.round, true),
                                       ('followup', NEW.followup_due, NEW.followed_up_at, NEW.round, false)) s (stage, due, done, round, exclusive)
        WHERE s.due IS NOT NULL AND (s.done IS NULL OR s.done > s.due OR (s.exclusive AND s.done = s.due))
          AND NOT EXISTS (SELECT 1 FROM repair_breaches b WHERE b.order_id = NEW.id AND b.stage = s.stage AND b.round = s.round));
    -- A round a reopen closed keeps its late completion or follow-up (repair_rounds) until the
    -- sweep has recorded it: a reopen entered before the sweep saw the lateness loses nothing.
    IF TG_OP = 'UPDATE' AND NEW.round > 0 THEN
        NEW.sweep_at := least(NEW.sweep_at, (
            SELECT min(l.due) FROM repair_rounds r
            CROSS JOIN LATERAL (VALUES ('complete', r.complete_due, r.completed_at >= r.complete_due),
                                       ('followup', r.followup_due, r.followed_up_at > r.followup_due)) l (stage, due, late)
            WHERE r.order_id = NEW.id AND r.round < NEW.round AND l.late
              AND NOT EXISTS (SELECT 1 FROM repair_breaches b WHERE b.order_id = NEW.id AND b.stage = l.stage AND b.round = r.round)));
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER repair_orders_sweep_at BEFORE INSERT OR UPDATE ON repair_orders
    FOR EACH ROW EXECUTE FUNCTION repair_sweep_at();

-- Who makes each move and what it changes, whoever writes (the server's role acts as its token's
-- holder; the owner, i.e. the CLI and the sweep, has no token and is held to the moves alone).
-- Technicians: grab, sign, contact, complete, a delay reason (their own orders: the policies);
-- agents and managers: open, dispatch, reopen; agents alone: the follow-up (and its rating). A column the move does not name stays
-- as it was, and the deadlines it sets are the settings' own: nobody rewrites a deadline or a round.
CREATE FUNCTION repair_order_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor text := acting_role();
    limits repair_settings;
    move text;
    roles text[] := '{agent,manager}';
    changes text[] := '{}';
    ok boolean := true;
BEGIN
    SELECT * INTO STRICT limits FROM repair_settings;
    IF TG_OP = 'INSERT' THEN
        move := 'open';
        -- The counted day and the completion deadline are the cutoff's and the day's (a complex
        -- order's: later, by the official calendar, which Swift reads).
        ok := NEW.claim_due = NEW.opened_at + make_interval(mins => limits.sign_minutes) AND NEW.sign_due IS NULL
              AND NEW.counted_on = (NEW.opened_at AT TIME ZONE 'Asia/Shanghai')::date
                                   + CASE WHEN (NEW.opened_at AT TIME ZONE 'Asia/Shanghai')::time >= limits.cutoff THEN 1 ELSE 0 END
              AND CASE WHEN NEW.complex THEN NEW.complete_due > ((NEW.counted_on + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
                       ELSE NEW.complete_due = ((NEW.counted_on + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') END
              AND NEW.round = 0 AND NOT NEW.grabbed
              AND NEW.photos = '{}' AND NEW.delay_reason IS NULL;
    ELSIF NEW.status = OLD.status THEN
        IF NEW.delay_reason IS DISTINCT FROM OLD.delay_reason THEN
            move := 'delay'; roles := '{technician}'; changes := '{delay_reason}';
            ok := OLD.status IN ('dispatched', 'signed', 'contacted', 'reopened') AND NEW.delay_reason <> '';
        ELSE
            -- Nothing changes (the sweep re-runs this trigger to move sweep_at).
            move := 'none'; roles := '{agent,manager,technician}';
        END IF;
    ELSIF OLD.status = 'open' AND NEW.status = 'dispatched' AND NEW.grabbed THEN
        move := 'grab'; roles := '{technician}'; changes := '{technician_id,grabbed,status,dispatched_at,sign_due}';
        ok := NEW.sign_due = NEW.opened_at + make_interval(mins => limits.sign_minutes);
    ELSIF OLD.status = 'open' AND NEW.status = 'dispatched' THEN
        move := 'dispatch'; changes := '{technician_id,status,dispatched_at,sign_due}';
        ok := NEW.sign_due = NEW.dispatched_at + make_interval(mins => limits.sign_minutes);
    ELSIF OLD.status = 'dispatched' AND NEW.status = 'signed' THEN
        move := 'sign'; roles := '{technician}'; changes := '{status,signed_at,contact_due}';
        ok := NEW.contact_due = NEW.signed_at + make_interval(mins => limits.contact_minutes);
    ELSIF OLD.status = 'signed' AND NEW.status = 'contacted' THEN
        move := 'contact'; roles := '{technician}'; changes := '{status,contacted_at,appointment_at}';
    ELSIF OLD.status IN ('contacted', 'reopened') AND NEW.status = 'completed' THEN
        -- Photos are added to, never taken away.
        move := 'complete'; roles := '{technician}'; changes := '{status,completed_at,followup_due,photos}';
        ok := NEW.followup_due = NEW.completed_at + make_interval(hours => limits.followup_hours)
              AND cardinality(NEW.photos) > cardinality(OLD.photos)
              AND NEW.photos[1:cardinality(OLD.photos)] = OLD.photos;
    ELSIF OLD.status = 'completed' AND NEW.status = 'followed_up' THEN
        -- The call centre's call-back: its rating assesses the project, so not its manager's.
        move := 'followup'; roles := '{agent}'; changes := '{status,followed_up_at,rating}';
    ELSIF OLD.status IN ('completed', 'followed_up') AND NEW.status = 'reopened' THEN
        -- The new completion deadline comes from the calendar (Swift); it is after the reopen,
        -- hence after the completion it undoes.
        move := 'reopen'; changes := '{status,round,complete_due,completed_at,followup_due,followed_up_at,rating}';
        ok := NEW.round = OLD.round + 1 AND NEW.complete_due > OLD.completed_at;
    ELSE
        RAISE EXCEPTION 'repair order % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = '23514';
    END IF;
    IF actor IS NOT NULL AND NOT actor = ANY (roles) THEN
        RAISE EXCEPTION 'a % may not % repair order %', actor, move, NEW.id USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - (changes || '{sweep_at}'::text[])) <> (to_jsonb(OLD) - (changes || '{sweep_at}'::text[])) THEN
        RAISE EXCEPTION 'repair order %: % changes only %', NEW.id, move, changes USING ERRCODE = '23514';
    END IF;
    IF NOT coalesce(ok, false) THEN
        RAISE EXCEPTION 'repair order %: % sets its deadlines and values as the settings define them', NEW.id, move
            USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER repair_orders_move BEFORE INSERT OR UPDATE ON repair_orders
    FOR EACH ROW EXECUTE FUNCTION repair_order_move();

INSERT INTO standards (code, name, cadence, per_period, working_days, interval_days, deadline_hours, priority, source) VALUES
    ('repair_escalation', '报修超时升级', 'when a repair order passes a stage''s deadline', NULL, NULL, NULL, NULL, 1, '000');

-- An escalation is the project manager's. A project without one keeps it on the project, with
-- nobody named (never on a grid: a butler is not who answers for a late repair or complaint);
-- the manager's list shows it once one is appointed, and `jobs status` counts them meanwhile.
ALTER TABLE tasks DROP CONSTRAINT tasks_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_check CHECK (
    grid_id IS NOT NULL OR staff_id IS NOT NULL
    OR standard IN ('complaint_escalation', 'report_escalation', 'repair_escalation'));
-- Few rows: the manager's list (open and done today) and `jobs status` read them by project.
CREATE INDEX tasks_unassigned ON tasks (project_id) WHERE grid_id IS NULL AND staff_id IS NULL;

-- Row-level security for the server's role (the owner, i.e. the CLI and the sweep, bypasses it):
-- agents see and act on every order; managers on their project's; technicians on the orders
-- dispatched to them and, to grab them, the undispatched orders of their project.
CREATE FUNCTION repair_visible(p_project integer, p_technician integer, p_status text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE (SELECT acting_role())
        WHEN 'agent' THEN true
        WHEN 'manager' THEN p_project = (SELECT acting_project_id())
        WHEN 'technician' THEN p_technician = (SELECT acting_staff_id())
            OR (p_technician IS NULL AND p_status = 'open' AND p_project = (SELECT acting_project_id()))
        ELSE false END
$$;

ALTER TABLE repair_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON repair_orders FOR SELECT USING (repair_visible(project_id, technician_id, status));
CREATE POLICY opened_by_actor ON repair_orders FOR INSERT WITH CHECK (
    opened_by = (SELECT acting_staff_id()) AND status = 'open' AND technician_id IS NULL
    AND CASE (SELECT acting_role()) WHEN 'agent' THEN true
                                    WHEN 'manager' THEN project_id = (SELECT acting_project_id()) ELSE false END);
-- A technician's changes leave the order theirs (a grab makes it theirs); dispatching names a
-- technician of the order's project (checked by the trigger below, whoever writes).
CREATE POLICY changed_in_scope ON repair_orders FOR UPDATE
    USING (repair_visible(project_id, technician_id, status))
    WITH CHECK (CASE (SELECT acting_role())
        WHEN 'agent' THEN true
        WHEN 'manager' THEN project_id = (SELECT acting_project_id())
        WHEN 'technician' THEN technician_id = (SELECT acting_staff_id())
        ELSE false END);

CREATE FUNCTION repair_technician_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.technician_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM staff s WHERE s.id = NEW.technician_id AND s.role = 'technician' AND s.project_id = NEW.project_id) THEN
        RAISE EXCEPTION 'staff % is not a technician of the order''s project', NEW.technician_id USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER repair_orders_technician_of_project BEFORE INSERT OR UPDATE OF technician_id ON repair_orders
    FOR EACH ROW EXECUTE FUNCTION repair_technician_of_project();

-- Events and breaches are seen with their order (the subquery sees orders through their policy).
ALTER TABLE repair_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON repair_events FOR SELECT
    USING (EXISTS (SELECT 1 FROM repair_orders o WHERE o.id = order_id));
-- An event records the move just made (the order is in its state) by the role that makes it,
-- at the time the move wrote on the order: a step cannot be told again with another time.
CREATE POLICY by_actor ON repair_events FOR INSERT WITH CHECK (
    staff_id = (SELECT acting_staff_id()) AND recorded_at = statement_timestamp()
    AND kind = ANY (CASE (SELECT acting_role())
        WHEN 'technician' THEN '{grabbed,signed,contacted,delayed,completed}'::text[]
        WHEN 'agent' THEN '{opened,dispatched,followed_up,reopened}'::text[]
        WHEN 'manager' THEN '{opened,dispatched,reopened}'::text[] END)
    AND EXISTS (SELECT 1 FROM repair_orders o WHERE o.id = order_id AND o.project_id = repair_events.project_id
                AND CASE kind WHEN 'opened' THEN o.status = 'open' AND repair_events.at = o.opened_at
                              WHEN 'dispatched' THEN o.status = 'dispatched' AND NOT o.grabbed AND repair_events.at = o.dispatched_at
                              WHEN 'grabbed' THEN o.status = 'dispatched' AND o.grabbed AND repair_events.at = o.dispatched_at
                              WHEN 'signed' THEN o.status = 'signed' AND repair_events.at = o.signed_at
                              WHEN 'contacted' THEN o.status = 'contacted' AND repair_events.at = o.contacted_at
                              WHEN 'completed' THEN o.status = 'completed' AND repair_events.at = o.completed_at
                              WHEN 'followed_up' THEN o.status = 'followed_up' AND repair_events.at = o.followed_up_at
                              WHEN 'delayed' THEN o.status IN ('dispatched', 'signed', 'contacted', 'reopened')
                              ELSE o.status = kind END));
-- With its time pinned to the order's, a step's event can be told only once (a policy may not
-- read its own table, hence an index): a later round's completion has a later time.
CREATE UNIQUE INDEX repair_events_once ON repair_events (order_id, kind, at) WHERE kind NOT IN ('delayed', 'reopened');

ALTER TABLE repair_rounds ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON repair_rounds FOR SELECT
    USING (EXISTS (SELECT 1 FROM repair_orders o WHERE o.id = order_id));

ALTER TABLE repair_breaches ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON repair_breaches FOR SELECT
    USING (EXISTS (SELECT 1 FROM repair_orders o WHERE o.id = order_id));

-- Who holds an order a technician may no longer see (a grab lost to a colleague): the one thing
-- of it the loser is told, and only for an order of their own project.
CREATE FUNCTION repair_holder(p_order bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.employee_no || '（' || s.name || '）' FROM repair_orders o JOIN staff s ON s.id = o.technician_id
    WHERE o.id = p_order AND o.project_id = acting_project_id() AND acting_role() = 'technician'
$$;

-- Every function here sees only this schema's objects, then pg_temp (as 0011's): a caller's
-- temporary table named staff or repair_settings cannot stand in for the real one in a check.
-- The server's role keeps TEMP: it comes through PUBLIC, and the server's own statements use
-- temporary tables (recording an inspection does), so revoking it is not an option; the
-- pinned search_path of every function is the defence.
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['repair_visible(integer, integer, text)', 'repair_holder(bigint)', 'repair_sweep_at()',
                             'repair_order_move()', 'repair_technician_of_project()', 'repair_round_kept()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION repair_holder(bigint) FROM PUBLIC;

-- The server's privileges, final form (replaces 0014's): everything it granted, plus the repair
-- tables: reading them (in scope), opening orders, recording events, and the columns the
-- loop's acts change. Breaches and escalations are the sweep's (the owner's).
CREATE OR REPLACE FUNCTION grant_server_privileges(p_role name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), p_role);
    EXECUTE format('GRANT SELECT ON projects, staff, houses, house_residents, grids, grid_houses, grid_assignments,
        entrustments, touchpoints, touchpoint_corrections, standards, calendar_days, inspections, patrols, tasks,
        plan_runs, products, orders, complaints, alerts, holiday_arrivals, job_runs,
        repair_settings, repair_orders, repair_rounds, repair_events, repair_breaches TO %I', p_role);
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
