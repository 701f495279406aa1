-- The 13 headline indicators of the built-in pack (internal/plan/packs/yantai-2021-2025/
-- indicators.yaml), computed by PostgreSQL from the tables bench/values-vs-sql loads the
-- demo CSVs into: what `eduplan values --format csv` prints, as indicator, org, year,
-- value, for the city and the districts (orgunits, the pack's orgunits.csv) in every year
-- with data, and for every institution in each year of its institutions row where the
-- indicator's levels include institution. One statement, as a DBA would write it.
--
-- The rules of docs/indicators.md, as they apply to these formulas:
--   - a student or teacher row takes type, ownership and location from its institution's
--     row of the same year; counts roll up institution → district → city by summing;
--   - an org with no rows of the kind that year has no count (the value is empty), one
--     with rows but none matching the filter counts 0;
--   - a zero denominator gives an empty value (NULLIF), as do missing inputs (NULL);
--   - students("stage=primary; grade=1", -8) reads year − 8, where there are no rosters:
--     a students fact whose dims are exactly {stage=primary, grade=1} (in any order) at the
--     org wins, else the org's own roster count, else the sum of its children that have a
--     value (none: empty);
--   - working_age_schooling_years is non-additive: the fact at the org, else the mean of
--     its children's values weighted by their population aged 16–59 (a district's
--     children are institutions, which have no population, so a district without its own
--     fact has no value).
-- Roster counts in years with rosters ignore facts of the roster elements: the demo has
-- none there, and bench/values-vs-sql checks that before trusting the comparison.
-- Divisions are float8 in the formula's own order ((100 · a) / b), as eduplan's are.
--
-- JIT off: the planner's row estimates for the cross joins with the years are far too high
-- (millions for dozens), which makes it spend seconds JIT-compiling a query that runs in
-- about as long; a DBA who saw that would switch it off for this query, as here.
SET jit = off;
WITH
-- One pass over each roster: per institution and year, the counts the formulas need.
-- Students are first counted by (year, institution, stage, grade), which PostgreSQL does
-- faster than evaluating the filters on every one of the 6 million rows.
s AS MATERIALIZED (
	SELECT year, institution,
		coalesce(sum(n) FILTER (WHERE stage = 'preschool'), 0) AS pre,
		coalesce(sum(n) FILTER (WHERE stage IN ('primary', 'junior')), 0) AS comp,
		coalesce(sum(n) FILTER (WHERE stage = 'junior' AND grade = 9), 0) AS jun9,
		coalesce(sum(n) FILTER (WHERE stage = 'primary' AND grade = 1), 0) AS pri1,
		coalesce(sum(n) FILTER (WHERE stage IN ('senior', 'secondary_vocational')), 0) AS sen,
		coalesce(sum(n) FILTER (WHERE stage = 'higher'), 0) AS hi
	FROM (
		SELECT year, institution, stage, grade, count(*) AS n
		FROM students
		GROUP BY year, institution, stage, grade
	) c
	GROUP BY year, institution
),
t AS MATERIALIZED (
	SELECT year, institution,
		count(*) AS n,
		count(*) FILTER (WHERE dual_qualified) AS dual,
		count(*) FILTER (WHERE stage = 'preschool') AS pre,
		count(*) FILTER (WHERE stage = 'preschool' AND preschool_major) AS pre_major,
		count(*) FILTER (WHERE stage IN ('primary', 'junior')) AS comp,
		count(*) FILTER (WHERE stage IN ('primary', 'junior')
			AND education IN ('bachelor', 'master', 'doctor')) AS comp_hi,
		count(*) FILTER (WHERE stage IN ('senior', 'secondary_vocational')) AS sen,
		count(*) FILTER (WHERE stage IN ('senior', 'secondary_vocational')
			AND education IN ('master', 'doctor')) AS sen_master
	FROM teachers
	GROUP BY year, institution
),
-- Each institution-year with its attributes and counts (NULL: no rows of that kind).
inst AS MATERIALIZED (
	SELECT i.year, i.code, i.district, o.parent AS city, i.type, i.ownership, i.location,
		s.pre, s.comp, s.jun9, s.pri1, s.sen, s.hi,
		t.n AS t_n, t.dual AS t_dual, t.pre AS t_pre, t.pre_major AS t_pre_major,
		t.comp AS t_comp, t.comp_hi AS t_comp_hi, t.sen AS t_sen, t.sen_master AS t_sen_master
	FROM institutions i
	JOIN orgunits o ON o.code = i.district
	LEFT JOIN s ON s.year = i.year AND s.institution = i.code
	LEFT JOIN t ON t.year = i.year AND t.institution = i.code
),
-- Sums at institution, district and city. x * (condition)::int keeps NULL (no rows) apart
-- from 0 (rows, none matching).
agg AS (
	SELECT year, coalesce(code, district, city) AS org,
		sum(pre) AS pre, sum(pre * (ownership = 'public')::int) AS pre_pub,
		sum(comp) AS comp, sum(jun9) AS jun9, sum(sen) AS sen, sum(hi) AS hi,
		sum(t_pre) AS t_pre, sum(t_pre_major) AS t_pre_major,
		sum(t_comp) AS t_comp, sum(t_comp_hi) AS t_comp_hi,
		sum(t_comp * (location = 'urban')::int) AS t_comp_u,
		sum(t_comp_hi * (location = 'urban')::int) AS t_comp_hi_u,
		sum(t_comp * (location = 'rural')::int) AS t_comp_r,
		sum(t_comp_hi * (location = 'rural')::int) AS t_comp_hi_r,
		sum(t_sen) AS t_sen, sum(t_sen_master) AS t_sen_master,
		sum(t_n * (type IN ('secondary_vocational', 'higher_vocational'))::int) AS t_voc,
		sum(t_dual * (type IN ('secondary_vocational', 'higher_vocational'))::int) AS t_voc_dual
	FROM inst
	GROUP BY GROUPING SETS ((year, city), (year, city, district), (year, city, district, code))
),
pop AS MATERIALIZED (
	SELECT p.year, coalesce(p.district, o.parent) AS org,
		coalesce(sum(p.count) FILTER (WHERE p.age BETWEEN 3 AND 5), 0) AS p3_5,
		coalesce(sum(p.count) FILTER (WHERE p.age BETWEEN 15 AND 17), 0) AS p15_17,
		coalesce(sum(p.count) FILTER (WHERE p.age BETWEEN 16 AND 59), 0) AS p16_59
	FROM population p
	JOIN orgunits o ON o.code = p.district
	GROUP BY GROUPING SETS ((p.year, o.parent), (p.year, o.parent, p.district))
),
-- Years with data: any roster, population, or a fact of a fact-only element.
years AS (
	SELECT year FROM institutions
	UNION SELECT year FROM s
	UNION SELECT year FROM t
	UNION SELECT year FROM population
	UNION SELECT year FROM facts WHERE element NOT IN ('students', 'teachers', 'population', 'institutions')
),
-- Every org and year a value is written for (the level decides which indicators).
frame AS (
	SELECT o.code AS org, o.level, o.parent, y.year
	FROM orgunits o CROSS JOIN years y
	WHERE o.level IN ('city', 'district')
	UNION ALL
	SELECT code, 'institution', district, year FROM institutions
),
-- Grade-1 entrants for the retention rate: facts (dims exactly the filter's pairs) win,
-- else the roster, else the children's sum; at institution, district and city.
f_pri1 AS (
	SELECT year, org, value
	FROM facts
	WHERE element = 'students'
		AND regexp_split_to_array(trim(dims), '\s*;\s*') @> ARRAY['stage=primary', 'grade=1']
		AND regexp_split_to_array(trim(dims), '\s*;\s*') <@ ARRAY['stage=primary', 'grade=1']
),
den_inst AS (
	SELECT i.year, i.code AS org, i.district, coalesce(f.value, i.pri1) AS v
	FROM inst i LEFT JOIN f_pri1 f ON f.year = i.year AND f.org = i.code
),
den_dist AS (
	SELECT y.year, o.code AS org, o.parent, coalesce(f.value, d.v) AS v
	FROM orgunits o
	CROSS JOIN (SELECT year - 8 AS year FROM years) y
	LEFT JOIN (SELECT year, district, sum(v) AS v FROM den_inst GROUP BY year, district) d
		ON d.year = y.year AND d.district = o.code
	LEFT JOIN f_pri1 f ON f.year = y.year AND f.org = o.code
	WHERE o.level = 'district'
),
den AS (
	SELECT year, org, v FROM den_inst
	UNION ALL
	SELECT year, org, v FROM den_dist
	UNION ALL
	SELECT y.year, o.code, coalesce(f.value, d.v)
	FROM orgunits o
	CROSS JOIN (SELECT year - 8 AS year FROM years) y
	LEFT JOIN (SELECT year, parent, sum(v) AS v FROM den_dist GROUP BY year, parent) d
		ON d.year = y.year AND d.parent = o.code
	LEFT JOIN f_pri1 f ON f.year = y.year AND f.org = o.code
	WHERE o.level = 'city'
),
-- Working-age schooling years: the district's fact; the city's own fact, else the
-- population(16–59)-weighted mean of the districts that have a value and a population.
wa_fact AS (
	SELECT year, org, value FROM facts
	WHERE element = 'working_age_schooling_years' AND trim(dims) = ''
),
wa AS (
	SELECT f.year, f.org, f.value AS v
	FROM frame f0
	JOIN wa_fact f ON f.org = f0.org AND f.year = f0.year
	WHERE f0.level = 'district'
	UNION ALL
	SELECT y.year, o.code, coalesce(cf.value, w.v)
	FROM orgunits o
	CROSS JOIN years y
	LEFT JOIN wa_fact cf ON cf.org = o.code AND cf.year = y.year
	LEFT JOIN (
		SELECT d.year, d.parent,
			sum(f.value * p.p16_59::float8) / nullif(sum(p.p16_59::float8), 0) AS v
		FROM frame d
		JOIN wa_fact f ON f.org = d.org AND f.year = d.year
		JOIN pop p ON p.org = d.org AND p.year = d.year AND p.p16_59 > 0
		WHERE d.level = 'district'
		GROUP BY d.year, d.parent
	) w ON w.year = y.year AND w.parent = o.code
	WHERE o.level = 'city'
),
m AS (
	SELECT f.org, f.level, f.year, a.pre, a.pre_pub, a.comp, a.jun9, a.sen, a.hi,
		a.t_pre, a.t_pre_major, a.t_comp, a.t_comp_hi, a.t_comp_u, a.t_comp_hi_u, a.t_comp_r,
		a.t_comp_hi_r, a.t_sen, a.t_sen_master, a.t_voc, a.t_voc_dual, p.p3_5, p.p15_17, d.v AS pri1_8, w.v AS wa
	FROM frame f
	LEFT JOIN agg a ON a.org = f.org AND a.year = f.year
	LEFT JOIN pop p ON p.org = f.org AND p.year = f.year
	LEFT JOIN den d ON d.org = f.org AND d.year = f.year - 8
	LEFT JOIN wa w ON w.org = f.org AND w.year = f.year
)
SELECT v.indicator, m.org, m.year, v.value
FROM m
CROSS JOIN LATERAL (VALUES
	('kg_public_share', m.level <> 'institution',
		100 * m.pre_pub::float8 / nullif(m.pre, 0)::float8),
	('kg_ger', m.level <> 'institution',
		100 * m.pre::float8 / nullif(m.p3_5, 0)::float8),
	('compulsory_enrolment', true,
		m.comp::float8 / 10000),
	('compulsory_retention', true,
		100 * m.jun9::float8 / nullif(m.pri1_8, 0)::float8),
	('senior_enrolment', true,
		m.sen::float8 / 10000),
	('senior_ger', m.level <> 'institution',
		100 * m.sen::float8 / nullif(m.p15_17, 0)::float8),
	('higher_enrolment', true,
		m.hi::float8 / 10000),
	('kg_teacher_preschool_major', true,
		100 * m.t_pre_major::float8 / nullif(m.t_pre, 0)::float8),
	('compulsory_teacher_bachelor', true,
		100 * m.t_comp_hi::float8 / nullif(m.t_comp, 0)::float8),
	('urban_rural_bachelor_ratio', m.level <> 'institution',
		(m.t_comp_hi_u::float8 / nullif(m.t_comp_u, 0)::float8)
		/ nullif(m.t_comp_hi_r::float8 / nullif(m.t_comp_r, 0)::float8, 0)),
	('senior_teacher_master', true,
		100 * m.t_sen_master::float8 / nullif(m.t_sen, 0)::float8),
	('vocational_dual_teacher', true,
		100 * m.t_voc_dual::float8 / nullif(m.t_voc, 0)::float8),
	('working_age_schooling_years', m.level <> 'institution',
		m.wa)
) AS v(indicator, at_level, value)
WHERE v.at_level;
