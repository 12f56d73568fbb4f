-- Houses are listed in the order people count them: building, unit and room as numbers where
-- they are numbers (YS01/1-3-503 before YS01/1-3-2703, building 2 before building 10).
-- ICU's numeric collation does exactly that on the house code; lists use
-- `ORDER BY h.code COLLATE house_natural`.
CREATE COLLATION IF NOT EXISTS house_natural (provider = icu, locale = 'und-u-kn-true');
