-- The monthly assessment of projects (考核, issue 14, 000): `butler report --company` ranks every
-- project by a weighted score of its repair figures, `butler report --project` shows the figures.
-- 000: 过程质量考核占60%、结果质量考核占40%. The process part that butler can measure is the
-- call centre's ticket handling (440综合服务平台工单处理: sign, contact, completion and follow-up
-- in time); the result part is the owners' satisfaction (业主满意率, target ≥ 96%), the repair
-- passing the first time (维修合格率: never reopened) and valid complaints (有效投诉率, target
-- ≤ 0.25‰ of households).
--
-- Each component scores 0-100: a rate is its percentage; complaints score 100 at or under the
-- target and target ÷ rate above it. The project's score is Σ weight × component ÷ Σ weight
-- over the components it has a figure for (a rate with nothing to measure is left out, not
-- counted as 0 or 100). Default split, summing to 60 + 40:
--   completion 30: what the owner waited for; the stage 000 sets the day for;
--   sign 15, contact 10: the technician's first 25 minutes (15 + 10 min);
--   follow-up 5: the call centre's own call-back, only partly the project's doing;
--   satisfaction 20: 000's 重要管控指标 with its own penalty; pass 10; complaints 10.
-- Repairs per household (户均维修率) is shown beside the score but not weighted: 000 lists it
-- but does not say whether more is better (a busy project) or worse (poor upkeep).
CREATE TABLE assessment_weights (
    component text PRIMARY KEY
              CHECK (component IN ('sign', 'contact', 'complete', 'followup', 'satisfaction', 'pass', 'complaints')),
    grp       text NOT NULL CHECK (grp IN ('process', 'result')),
    weight    integer NOT NULL CHECK (weight >= 0),
    -- satisfaction: the lowest rate that meets it (0.96); complaints: the most per 1,000 households (0.25).
    target    numeric CHECK (target >= 0),
    name      text NOT NULL,
    CHECK ((component IN ('sign', 'contact', 'complete', 'followup')) = (grp = 'process')),
    CHECK ((component IN ('satisfaction', 'complaints')) = (target IS NOT NULL))
);
INSERT INTO assessment_weights (component, grp, weight, target, name) VALUES
    ('sign',         'process', 15, NULL, '签收及时率'),
    ('contact',      'process', 10, NULL, '联系及时率'),
    ('complete',     'process', 30, NULL, '办结及时率'),
    ('followup',     'process',  5, NULL, '回访及时率'),
    ('satisfaction', 'result',  20, 0.96, '满意率'),
    ('pass',         'result',  10, NULL, '一次合格率'),
    ('complaints',   'result',  10, 0.25, '有效投诉率');

-- A month's orders company-wide (the ranking reads one month of ~500k orders); the project
-- report keeps to repair_orders_project (project_id, opened_at).
CREATE INDEX repair_orders_counted ON repair_orders (counted_on);
