-- The registry: houses, residents, grids with effective-dated butler assignments,
-- entrustments, touchpoints and the call-centre lookup audit.

CREATE TABLE houses (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   integer NOT NULL REFERENCES projects,
    building     text NOT NULL CHECK (building ~ '^[^/-]+$'),
    unit         text NOT NULL CHECK (unit ~ '^[^/-]+$'),
    room         text NOT NULL CHECK (room ~ '^[^/-]+$'),
    -- PROJECT/BUILDING-UNIT-ROOM, e.g. YS01/3-2-1502: what people type and read.
    code         text NOT NULL UNIQUE,
    floor        smallint,
    area_m2      numeric(8, 2) CHECK (area_m2 > 0),
    occupancy    text NOT NULL CHECK (occupancy IN ('self', 'rented', 'vacant_furnished', 'vacant_bare')),
    move_in_date date,
    holiday_home boolean NOT NULL DEFAULT false,
    UNIQUE (project_id, building, unit, room),
    UNIQUE (id, project_id)
);
-- Recent move-ins are what the planner scans daily.
CREATE INDEX houses_move_in ON houses (move_in_date) WHERE move_in_date IS NOT NULL;
CREATE INDEX houses_vacant ON houses (project_id, occupancy) WHERE occupancy IN ('vacant_furnished', 'vacant_bare');

-- A person; one person may live in or own several houses and have several phones.
CREATE TABLE residents (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL CHECK (name <> ''),
    -- The first phone given: with the name, it identifies the person across imports.
    phone text NOT NULL,
    UNIQUE (name, phone)
);
-- Exact and prefix name search (C collation so "name >= $1 AND name < $2" uses the index).
CREATE INDEX residents_name ON residents (name COLLATE "C");

CREATE TABLE resident_phones (
    resident_id bigint NOT NULL REFERENCES residents ON DELETE CASCADE,
    phone       text NOT NULL CHECK (phone ~ '^[0-9]{5,15}$'),
    PRIMARY KEY (resident_id, phone)
);
CREATE INDEX resident_phones_phone ON resident_phones (phone);

CREATE TABLE house_residents (
    house_id     bigint NOT NULL,
    resident_id  bigint NOT NULL REFERENCES residents,
    project_id   integer NOT NULL,
    role         text NOT NULL CHECK (role IN ('owner', 'family', 'tenant')),
    move_in_date date,
    tags         text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (house_id, resident_id),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id)
);
CREATE INDEX house_residents_resident ON house_residents (resident_id);
CREATE INDEX house_residents_care ON house_residents (project_id) WHERE tags && ARRAY['elderly_alone', 'disabled'];

CREATE TABLE grids (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id integer NOT NULL REFERENCES projects,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9-]+$'),
    name       text NOT NULL CHECK (name <> ''),
    -- The grid's service phone stays with the grid when the butler changes (003).
    phone      text NOT NULL CHECK (phone <> ''),
    UNIQUE (id, project_id)
);

-- A house is in at most one grid: the primary key is the house.
CREATE TABLE grid_houses (
    house_id   bigint PRIMARY KEY,
    grid_id    integer NOT NULL,
    project_id integer NOT NULL,
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    FOREIGN KEY (grid_id, project_id) REFERENCES grids (id, project_id)
);
CREATE INDEX grid_houses_grid ON grid_houses (grid_id);

-- Who serves a grid, effective-dated; to_date is inclusive, NULL while open.
CREATE TABLE grid_assignments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id    integer NOT NULL,
    project_id integer NOT NULL,
    staff_id   integer NOT NULL REFERENCES staff,
    from_date  date NOT NULL,
    to_date    date CHECK (to_date >= from_date),
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (grid_id, project_id) REFERENCES grids (id, project_id),
    -- At most one butler per grid on any date, enforced by the database.
    CONSTRAINT one_butler_per_grid_per_day
        EXCLUDE USING gist (grid_id WITH =, daterange(from_date, to_date, '[]') WITH &&)
);
CREATE INDEX grid_assignments_staff ON grid_assignments (staff_id, from_date);

-- 委托代管: an owner hands the house (and keys) to the butler.
CREATE TABLE entrustments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id   bigint NOT NULL,
    project_id integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('unpaid', 'paid')),
    from_date  date NOT NULL,
    to_date    date CHECK (to_date >= from_date),
    keys       smallint NOT NULL DEFAULT 0 CHECK (keys >= 0),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    CONSTRAINT one_entrustment_per_house_per_day
        EXCLUDE USING gist (house_id WITH =, daterange(from_date, to_date, '[]') WITH &&)
);

-- Every contact with a household: the CRM's memory.
CREATE TABLE touchpoints (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id   bigint NOT NULL,
    project_id integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('call_in', 'call_out', 'visit', 'meeting', 'message', 'complaint', 'compliment', 'opinion')),
    staff_id   integer REFERENCES staff,
    at         timestamptz NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    -- Natural key: re-importing a history file adds nothing twice.
    UNIQUE (house_id, at, kind)
);
CREATE INDEX touchpoints_house_at ON touchpoints (house_id, at DESC);
CREATE INDEX touchpoints_staff_at ON touchpoints (staff_id, at);

-- Every call-centre lookup: who looked, when, for what, and which houses it showed.
CREATE TABLE lookup_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    agent_id   integer NOT NULL REFERENCES staff,
    query_kind text NOT NULL CHECK (query_kind IN ('phone', 'house', 'name')),
    query      text NOT NULL,
    revealed   boolean NOT NULL DEFAULT false,
    houses     text[] NOT NULL
);
CREATE INDEX lookup_audit_at ON lookup_audit (at DESC);
CREATE INDEX lookup_audit_agent ON lookup_audit (agent_id, at DESC);

-- The audit log is append-only, whoever connects.
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lookup_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER lookup_audit_append_only BEFORE UPDATE OR DELETE ON lookup_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER lookup_audit_no_truncate BEFORE TRUNCATE ON lookup_audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
