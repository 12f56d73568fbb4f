-- The planner: frequency standards as data, imported work-calendar years, inspections,
-- and materialized tasks with a natural key so planning is idempotent.

-- The company's frequency standards (DOMAIN.md "The frequency standards"); tune with
-- `butler standards set`. The planner reads cadences from here.
CREATE TABLE standards (
    code           text PRIMARY KEY,
    name           text NOT NULL,
    -- Human description of the cadence, e.g. '1 per month'.
    cadence        text NOT NULL,
    -- How many per period (patrols per week, ventilations per month, quota per month).
    per_period     integer CHECK (per_period > 0),
    -- Working days allowed (move-in visit: 3) or working days of lead (concierge: 5).
    working_days   integer CHECK (working_days >= 0),
    -- Calendar days between repeats (care visits).
    interval_days  integer CHECK (interval_days > 0),
    -- Deadline after the act in hours (reports, follow-ups).
    deadline_hours integer CHECK (deadline_hours > 0),
    priority       integer NOT NULL CHECK (priority BETWEEN 1 AND 5),
    enabled        boolean NOT NULL DEFAULT true,
    source         text NOT NULL
);

INSERT INTO standards (code, name, cadence, per_period, working_days, interval_days, deadline_hours, priority, source) VALUES
    ('move_in_visit',          '新入住走访',        'once, within 3 working days of move-in', NULL, 3, NULL, NULL, 1, '002 #18'),
    ('entrusted_check',        '委托代管房月度查验', '1 per month, report within 8 h',         1, NULL, NULL, 8, 2, '002 #13'),
    ('paid_check',             '特约代管查验',      '1 per month, report within 4 h',         1, NULL, NULL, 4, 2, '002 #25'),
    ('paid_cleaning',          '特约代管保洁',      '1 per month',                            1, NULL, NULL, NULL, 2, '002 #25'),
    ('paid_ventilation',       '特约代管通风',      '2 per month (mid-month and month end)',  2, NULL, NULL, NULL, 2, '002 #25'),
    ('vacant_furnished_check', '空置精装房查验',    '1 per month, report within 24 h',        1, NULL, NULL, 24, 3, '002 #14'),
    ('vacant_bare_check',      '空置毛坯房查验',    '1 every 2 months, report within 24 h',   1, NULL, NULL, 24, 3, '002 #15'),
    ('weather_check',          '恶劣天气查验',      'at once when an alert is declared',      NULL, NULL, NULL, NULL, 1, '002 #13-15, #25'),
    ('grid_patrol',            '责任区巡查',        '2 per week (middle and last working day)', 2, NULL, NULL, NULL, 2, '002 #16'),
    ('visit_quota',            '月度走访',          '≥ 7 household visits per month',         7, NULL, NULL, NULL, 3, '002 #18'),
    ('opinion_quota',          '月度意见征询',      '≥ 7 opinion solicitations per month',    7, NULL, NULL, NULL, 3, '002 #18'),
    ('monthly_summary',        '月度走访总结',      'by the 5th of the next month',           NULL, NULL, NULL, NULL, 3, '002 #18'),
    ('holiday_concierge_call', '节前虚拟礼宾致电',  'within the 5 working days before every public holiday', NULL, 5, NULL, NULL, 2, '002 #28'),
    ('holiday_prepare',        '到访前房屋准备',    'the day before a confirmed arrival',     NULL, NULL, NULL, NULL, 1, '002 #28'),
    ('holiday_arrival_visit',  '到访后走访',        'the day after arrival',                  NULL, NULL, NULL, NULL, 2, '002 #28'),
    ('service_followup',       '服务回访',          'within 8 h of completion',               NULL, NULL, NULL, 8, 1, '002 #26'),
    ('complaint_followup',     '投诉回访',          'next working day',                       NULL, 1, NULL, NULL, 1, '002 #19, 001, 000'),
    ('inspection_report',      '查验报告',          'paid 4 h, unpaid 8 h, vacant 24 h',      NULL, NULL, NULL, NULL, 1, '002 #13-15, #25'),
    ('key_inventory',          '钥匙盘点',          'monthly',                                1, NULL, NULL, NULL, 3, '002 #12'),
    ('care_visit',             '关爱走访',          'every 14 days',                          NULL, NULL, 14, NULL, 2, '001, 003');

-- Work-calendar years loaded with `butler calendar import` (2024-2026 ship with the program).
CREATE TABLE calendar_days (
    day      date PRIMARY KEY,
    kind     text NOT NULL CHECK (kind IN ('off', 'work')),
    holiday  text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);

-- 查验: a check, ventilation or cleaning of an entrusted or vacant house.
CREATE TABLE inspections (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    house_id   bigint NOT NULL,
    project_id integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('check', 'ventilation', 'cleaning')),
    staff_id   integer REFERENCES staff,
    at         timestamptz NOT NULL,
    findings   text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (house_id, project_id) REFERENCES houses (id, project_id),
    UNIQUE (house_id, at, kind)
);
CREATE INDEX inspections_house_at ON inspections (house_id, at DESC);

-- 巡查: a butler's patrol of a grid.
CREATE TABLE patrols (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id    integer NOT NULL,
    project_id integer NOT NULL,
    staff_id   integer REFERENCES staff,
    at         timestamptz NOT NULL,
    note       text NOT NULL DEFAULT '',
    FOREIGN KEY (grid_id, project_id) REFERENCES grids (id, project_id)
);

-- What a butler must do. (standard, subject, period) is the natural key: planning twice,
-- or from two processes at once, never creates a duplicate.
CREATE TABLE tasks (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    standard     text NOT NULL REFERENCES standards,
    -- What the task is about: 'h<house id>', 'g<grid id>', 's<staff id>', 'r<resident id>@h<house id>'.
    subject      text NOT NULL,
    -- Which occurrence: '2026-11', '2026-W48#1', '2026-11-20', a holiday's first day...
    period       text NOT NULL,
    project_id   integer NOT NULL REFERENCES projects,
    -- The grid whose butler (on the list's date) does the task.
    grid_id      integer REFERENCES grids,
    house_id     bigint REFERENCES houses,
    -- For a butler's own tasks (quotas, summary, key inventory).
    staff_id     integer REFERENCES staff,
    window_start date NOT NULL,
    due_date     date NOT NULL,
    -- For deadlines with a time (report within 8 h); NULL = end of due_date.
    due_at       timestamptz,
    priority     integer NOT NULL,
    title        text NOT NULL,
    reason       text NOT NULL DEFAULT '',
    done_at      timestamptz,
    done_by      integer REFERENCES staff,
    done_note    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_natural_key UNIQUE (standard, subject, period),
    CHECK (grid_id IS NOT NULL OR staff_id IS NOT NULL)
);
CREATE INDEX tasks_open_by_grid ON tasks (grid_id, window_start) WHERE done_at IS NULL;
CREATE INDEX tasks_open_by_staff ON tasks (staff_id, window_start) WHERE done_at IS NULL AND staff_id IS NOT NULL;
CREATE INDEX tasks_open_by_house ON tasks (house_id, standard) WHERE done_at IS NULL;
CREATE INDEX tasks_done_by_grid ON tasks (grid_id, done_at) WHERE done_at IS NOT NULL;

CREATE INDEX house_residents_move_in ON house_residents (move_in_date) WHERE move_in_date IS NOT NULL;
CREATE INDEX entrustments_house ON entrustments (house_id, from_date);
CREATE INDEX patrols_grid_at ON patrols (grid_id, at);

-- Days the planner has run for, so `butler tasks` plans on demand only once per day.
CREATE TABLE plan_runs (
    day        date PRIMARY KEY,
    planned_at timestamptz NOT NULL DEFAULT now(),
    created    integer NOT NULL
);
