-- Tasks are derived rows: the planner and the event commands write them from registry rows
-- they read in the same transaction, and `butler plan` can rebuild them. Per-row foreign-key
-- triggers on them cost 1.55 s of 1.9 s when inserting a month of company tasks (46,973 rows,
-- measured on the bench cluster), so the references to the big or static tables go; the one to
-- staff (a butler's own tasks, who completed a task) stays.
ALTER TABLE tasks
    DROP CONSTRAINT tasks_project_id_fkey,
    DROP CONSTRAINT tasks_house_id_fkey,
    DROP CONSTRAINT tasks_grid_id_fkey,
    DROP CONSTRAINT tasks_standard_fkey;
