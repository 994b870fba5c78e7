"""SQL views of the store. They are derived objects, not data: `schema.upgrade` drops them before running
migrations and recreates them after (SQLite's batch migrations rebuild a table by drop-and-rename, which
fails while a view refers to it), so a migration never has to care about them. One text for SQLite and
PostgreSQL (GROUP_CONCAT exists on PostgreSQL as a function of dashboard/store/dialect.py)."""
from __future__ import annotations

VIEWS: dict[str, str] = {
    # Two statements of one figure that disagree: same indicator, unit, level, breakdown and period (a seed
    # document's figure and an imported report's figure included: both stay, listed as a conflict).
    "observation_conflict": """CREATE VIEW observation_conflict AS
       SELECT o.indicator_code, o.unit_code, o.level, o.breakdown, o.period,
              COUNT(*) AS statements,
              GROUP_CONCAT(o.obs_key, ' | ') AS obs_keys,
              GROUP_CONCAT(o.printed, ' | ') AS printed_values
       FROM observation o
       WHERE o.provenance IN ('published', 'imported')
       GROUP BY o.indicator_code, o.unit_code, o.level, o.breakdown, o.period
       HAVING COUNT(DISTINCT printed || '|' || COALESCE(CAST(value AS TEXT), '') || '|'
                    || COALESCE(CAST(numerator AS TEXT), '') || '|'
                    || COALESCE(CAST(denominator AS TEXT), '') || '|' || qualifier) > 1""",
    # A target's scope is a former unit (scope_code) or a province from 7/2025 (scope_current_code, migration
    # 0005): grouped by both, so the current provinces' targets do not fall into one group of empty scope_code.
    "target_conflict": """CREATE VIEW target_conflict AS
       SELECT indicator_code, scope_code, scope_current_code, level, breakdown, year, COUNT(*) AS statements,
              GROUP_CONCAT(target_key, ' | ') AS target_keys, GROUP_CONCAT(printed, ' | ') AS printed_values
       FROM target WHERE value IS NOT NULL
       GROUP BY indicator_code, scope_code, scope_current_code, level, breakdown, year
       HAVING COUNT(DISTINCT COALESCE(CAST(value AS TEXT), '') || qualifier) > 1""",
}
