"""Yearly data intake: templates, readers, validation, staging, publishing, rollback, audit, accounts.

Public API (for pages and the command line); see each module for details:
- spec: KINDS, spec(kind), Problem
- template: build_workbook(kind), template_bytes(kind), csv_header(kind)
- batches: check(data, file_name, kind, ...) -> CheckResult; stage(...) -> batch id; publish(id, approver=...);
  reject(id, approver=...); rollback(id, user=...)
- preview: preview(batch_id) -> Preview
- audit: batches(...), batch_detail(id), data_label(province, school_year), assessments(...)
- auth: add_user, verify, require, User
- dx4725: computed_level, group_level, RULE, CITATION
"""
