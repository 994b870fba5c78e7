"""An intake page refused to a viewer ends there, yet the app still draws what follows every page: the footer,
the briefing-pack panel and, in meeting mode, the meeting controls (the refusal used st.stop(), which hid them)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from test_intake_support import copy_db, examples, registered_db, use_db, users_db  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture()
def store(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_db(copy_db(registered_db, tmp_path / "refusal.db"), monkeypatch)


@pytest.mark.parametrize("page", ["pages/intake.py", "pages/audit.py"])
def test_refused_intake_page_keeps_footer_and_pack_panel(store: Path, page: str):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "cần đăng nhập với vai trò" in "\n".join(w.value for w in at.warning)
    # nothing of the page after the refusal ran
    assert not at.get("file_uploader") and not at.dataframe and not at.get("download_button")
    captions = [c.value for c in at.caption]
    assert t("footer", "vi") in captions  # app.py went on after the page
    assert t("pack_no_charts", "vi") in [c.value for c in at.sidebar.caption]  # the pack panel is there


def test_refused_intake_page_in_meeting_mode_keeps_the_meeting_controls(store: Path):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["meeting"] = "true"
    at.run()
    at.switch_page("pages/intake.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # an info box (meeting mode hides warnings, which would leave a blank slide)
    assert "cần đăng nhập với vai trò" in "\n".join(w.value for w in at.info)
    keys = {b.key for b in at.button}
    assert {"meeting_prev", "meeting_next", "meeting_exit"} <= keys
    assert not at.get("file_uploader")
