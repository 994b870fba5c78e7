"""Two geographies: the units before and from 1 July 2025, the crosswalk between them, and rollups of the
store's figures from former units into current ones (issue 12).

* `load`    — reads data/geo/units_*.csv and crosswalk_2025_communes.csv (checked, file/row/field) and replaces
              the build-owned tables unit_current, unit_former, unit_crosswalk inside the build's transaction.
* `queries` — SQL over those tables: provinces of both geographies, a school's former district and current
              commune, current-commune filters; every crosswalk lookup is an indexed join.
* `rollup`  — a current province's figures from its former provinces: labelled parts, counts summed only when
              every part reported, shares only from summed numerators and denominators.
* `strings` — the module's UI strings (i18n.register).
"""
