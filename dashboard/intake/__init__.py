"""Yearly data intake: templates, readers, validation, staging, publishing, rollback, audit, accounts.

Public API for the pages and the command line (every writer takes `engine=None` = the store's write engine;
every message exists in Vietnamese and English):

spec         KINDS = ('register', 'school_year', 'assessment', 'report'); spec(kind) -> Kind (sheet_vi/en,
             title_vi/en, columns: Column(key, vi, en, type, required, choices, help_vi, help_en));
             Problem(severity 'error'|'warning', file, sheet, row, field, vi, en, field_vi, field_en, code):
             .text(lang) = "file, sheet 'X', row 5, field 'Y': message", .as_dict(lang)
template     template_bytes(kind) -> .xlsx bytes (download); build_workbook(kind, rows=...) -> openpyxl Workbook;
             csv_header(kind) -> str
batches      check(data, file_name, kind, province=None, document=None, document_name=None) -> CheckResult
               (.ok, .errors, .warnings, .problems, .problem_table(lang) -> DataFrame[severity, file, sheet, row,
               field, field_key, message, code], .rows typed DataFrame, .province_code, .school_years, .sha256,
               .coverage {school_year: {file, earlier, missing, of}} for school_year/assessment files,
               .data_version the store's version checked against); writes nothing
             stage(data, file_name, kind, user=, province=None, ack_warnings=False, document=None,
               document_name=None, result=None) -> batch id; raises Rejected / WarningsNotAcknowledged /
               PermissionDenied and then writes nothing; a `result` checked against another data version (or
               another file) is checked again
             require_approver(approver, uploader=None): PermissionDenied unless an active approver, not the uploader
             publish(batch_id, approver=) -> {'new', 'changed', 'unchanged'}  (approver role, not the uploader)
             reject(batch_id, approver=, note='');  rollback(batch_id, user=)  (approver role)
preview      preview(batch_id, lang) -> Preview(batch: dict, counts: dict, indicators: DataFrame[scope
               'province'|'district', district_code, district_name, school_year, measure, measure_name, before,
               after, change], jumps: DataFrame[school_code, school_name, school_year, measure, measure_name,
               before, after, change] (|change| > JUMP_PP = 30), rows: DataFrame (register: school_code, name,
               level, district_code, change 'new'|'changed', before JSON; report: the figures with
               other_statements of the same indicator, unit, level and period)); writes nothing
             stage_rows(batch_id, limit=1000) -> DataFrame of the staged rows (row + columns)
audit        batches(province=None, status=None, lang) -> DataFrame (id, kind, kind_name, file_name, sha256,
               province_code, province_name, school_years, status, status_name, uploaded_by/at, approved_by/at,
               rolled_back_by/at, rejected_by/at, n_rows, n_new, n_changed, n_unchanged, n_warnings,
               warnings_acknowledged, document_name, note, rows_live, superseded)
             batch_files(id) -> DataFrame(role, name, sha256, size); batch_file_bytes(id, role) -> (name, bytes)
             assessments(province, school_year=None) -> one row per published assessment with flag_declared,
               flag_verified; assessment_levels(province, by='district'|'level'|'province') -> counts and %
             STATUS_NAMES, KIND_NAMES: {key: {'vi', 'en'}}
             (batches.status_name(status, lang): a status in words, used in every message)
auth         add_user(name, password, role); verify(name, password) -> User(username, role) or PermissionDenied
               (delays and locks after repeated failures); require(user, 'editor'|'approver') -> User;
               users() -> list of dicts; set_password(name, password)
errors       IntakeError(.message(lang), .lines(lang), .problems) and Rejected, WarningsNotAcknowledged,
             PermissionDenied, StateError
dx4725       group_level(score), computed_level(a, b), effective_level(verified, computed, declared), RULE and
             CITATION (the rule and its source, to show on the page), GROUPS, LEVEL_NAMES, LOW, HIGH
dashboard.rollups.data_source(province, school_year, lang) -> {'provenance': 'imported'|'simulated'|None,
             'label': "Dữ liệu nhập: <file>, phê duyệt <dd/mm/yyyy> — n/N trường" | "Dữ liệu mô phỏng", 'batches': [...],
             'coverage': {'n', 'of'} | None, and dx_label / dx_coverage for the 4725 levels}
"""
