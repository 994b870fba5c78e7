"""Tables of the yearly data intake (dashboard/intake): batches, their files, staged rows, the rows a
publish replaced (so a rollback restores them exactly), Decision 4725 self-assessments and accounts.

Nothing but the intake writes these tables; `build-db` never touches tables named intake_* or app_user.
Published data itself lives in the shared tables (school, school_year, observation, source) with
`batch_id` set; staged data stays in `intake_stage_row` and is invisible to the dashboards.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class IntakeBatch(SQLModel, table=True):
    """One uploaded file: staged → published → (rolled_back), or staged → rejected."""

    __tablename__ = "intake_batch"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # register | school_year | assessment | report
    file_name: str
    sha256: str
    province_code: str = Field(index=True)
    school_years: str = ""  # first calendar years covered, ';'-separated ("2024" = 2024-2025)
    status: str = Field(default="staged", index=True)  # staged | published | rolled_back | rejected
    uploaded_by: str
    uploaded_at: datetime
    approved_by: Optional[str] = None
    approved_at: Optional[datetime] = None
    rolled_back_by: Optional[str] = None
    rolled_back_at: Optional[datetime] = None
    rejected_by: Optional[str] = None
    rejected_at: Optional[datetime] = None
    n_rows: int = 0
    n_new: int = 0
    n_changed: int = 0
    n_unchanged: int = 0
    n_warnings: int = 0
    warnings_acknowledged: bool = False
    warnings_json: str = "[]"  # the warnings the uploader acknowledged (file, sheet, row, field, messages)
    document_name: Optional[str] = None  # report batches: the document text uploaded with the figures
    note: str = ""


class IntakeFile(SQLModel, table=True):
    """The bytes of every uploaded file (the workbook, and for reports the document text)."""

    __tablename__ = "intake_file"
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(index=True)
    role: str  # workbook | document
    name: str
    sha256: str
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class IntakeStageRow(SQLModel, table=True):
    """A validated row of a staged batch, typed values as JSON (keys = template column keys)."""

    __tablename__ = "intake_stage_row"
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(index=True)
    row_no: int  # the row number as Excel shows it (CSV: line number)
    data: str


class IntakeSuperseded(SQLModel, table=True):
    """A row that publishing `batch_id` replaced or changed, as it was (JSON of every column)."""

    __tablename__ = "intake_superseded"
    __table_args__ = (Index("ix_intake_superseded_batch", "batch_id", "table_name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int
    table_name: str
    row_id: int
    owner_batch_id: Optional[int] = None  # batch that owned the row before (NULL = build-owned)
    data: str


class IntakeAssessment(SQLModel, table=True):
    """A published Decision 4725 self-assessment: one row per school and school year (newest batch wins)."""

    __tablename__ = "intake_assessment"
    __table_args__ = (Index("ix_intake_assessment_school", "school_id", "school_year"),
                      Index("ix_intake_assessment_province", "province_code", "school_year"))
    id: Optional[int] = Field(default=None, primary_key=True)
    batch_id: int = Field(index=True)
    school_id: int
    school_code: str
    school_year: int  # first calendar year: 2024 = 2024-2025
    province_code: str
    district_code: Optional[str] = None
    score_teaching: Optional[float] = None  # group 1 "Chuyển đổi số trong dạy, học" (0-100)
    score_management: Optional[float] = None  # group 2 "Chuyển đổi số trong quản trị cơ sở giáo dục" (0-100)
    declared_level: Optional[int] = None
    verified_level: Optional[int] = None
    computed_level: Optional[int] = None  # from the scores by the Decision's thresholds
    dx_level: Optional[int] = None  # the level the dashboards count: verified, else computed, else declared
    note: str = ""


class AppUser(SQLModel, table=True):
    """An account that may upload (editor) or publish and roll back (approver). Viewers need none."""

    __tablename__ = "app_user"
    username: str = Field(primary_key=True)
    password_hash: str  # argon2id (argon2-cffi)
    role: str  # editor | approver
    failed_attempts: int = 0
    locked_until: Optional[datetime] = None
    created_at: datetime
    last_login_at: Optional[datetime] = None
    active: bool = True
