-- Service operations: value-added orders, inspection reports, complaints, severe-weather
-- alerts, holiday arrivals, and an event log of every state change.

-- Who did what to which thing, and when: nothing a butler did is lost or silently overwritten.
CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    staff_id   integer REFERENCES staff,
    project_id integer REFERENCES projects,
    entity     text NOT NULL,
    entity_id  bigint NOT NULL,
    action     text NOT NULL,
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_entity ON events (entity, entity_id, at);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- 004: the service products a butler recommends; prices in fen.
CREATE TABLE products (
    code      text PRIMARY KEY,
    name      text NOT NULL,
    price_fen integer NOT NULL CHECK (price_fen >= 0),
    unit      text NOT NULL
);
INSERT INTO products (code, name, price_fen, unit) VALUES
    ('water',       '桶装水',   2000,  '桶'),
    ('move_in',     '拎包入住', 199900, '次'),
    ('cleaning',    '居家保洁', 15000, '次'),
    ('repair',      '居家维修', 8000,  '次'),
    ('entrustment', '房屋托管', 30000, '月');

CREATE TABLE orders (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id        bigint NOT NULL,
    project_id      integer NOT NULL,
    product         text NOT NULL REFERENCES products,
    quantity        integer NOT NULL CHECK (quantity > 0),
    amount_fen      bigint NOT NULL CHECK (amount_fen >= 0),
    -- The butler who recommended it is credited.
    recommended_by  integer NOT NULL REFERENCES staff,
    status          text NOT NULL CHECK (status IN ('created', 'scheduled', 'completed', 'followed_up', 'cancelled')),
    scheduled_for   date,
    note            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    followed_up_at  timestamptz,
    rating          smallint CHECK (rating BETWEEN 1 AND 5),
    cancel_reason   text,
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id)
);
CREATE INDEX orders_house ON orders (house_id, created_at DESC);
CREATE INDEX orders_staff ON orders (recommended_by, created_at);
CREATE INDEX orders_project ON orders (project_id, created_at);

-- Inspection reports: checklist, photos, and the report to the owner.
ALTER TABLE inspections
    ADD COLUMN checklist jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN photos text[] NOT NULL DEFAULT '{}',
    ADD COLUMN reported_at timestamptz,
    ADD COLUMN report_channel text CHECK (report_channel IN ('phone', 'wechat', 'sms'));

CREATE TABLE complaints (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    touchpoint_id bigint NOT NULL REFERENCES touchpoints,
    house_id      bigint NOT NULL,
    project_id    integer NOT NULL,
    -- 000: 1 = mayor's hotline/regulator/media, 2 = district or repeated unresolved, 3 = service lapse.
    level         smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    opened_at     timestamptz NOT NULL,
    closed_at     timestamptz,
    result        text,
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id)
);
CREATE INDEX complaints_open ON complaints (house_id) WHERE closed_at IS NULL;
CREATE INDEX complaints_project ON complaints (project_id, opened_at);

CREATE TABLE alerts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id integer NOT NULL REFERENCES projects,
    kind       text NOT NULL CHECK (kind IN ('weather')),
    at         timestamptz NOT NULL,
    note       text NOT NULL DEFAULT '',
    closed_at  timestamptz
);

CREATE TABLE holiday_arrivals (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id    bigint NOT NULL,
    project_id  integer NOT NULL,
    arrive_on   date NOT NULL,
    recorded_by integer REFERENCES staff,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    UNIQUE (house_id, arrive_on)
);

-- Event-driven tasks can override the standard's priority (weather: 1/2/3 by house type).
CREATE INDEX tasks_project_due ON tasks (project_id, due_date);
