-- Foundation: extensions and the company's projects and staff.
-- Every business table carries project_id so the data can later be distributed by project.

-- btree_gist lets one exclusion constraint mix "=" on ids with "&&" on date ranges.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE TABLE projects (
    id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9]+$'),
    name text NOT NULL CHECK (name <> '')
);

CREATE TABLE staff (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_no text NOT NULL UNIQUE CHECK (employee_no ~ '^[A-Za-z0-9]+$'),
    name        text NOT NULL CHECK (name <> ''),
    phone       text,
    role        text NOT NULL CHECK (role IN ('butler', 'manager', 'agent')),
    -- Home project (managers and butlers); NULL for the company-wide call centre.
    project_id  integer REFERENCES projects
);
