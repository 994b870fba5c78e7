"""The intake pages under AppTest on real store copies: sign-in, roles (also by address), upload with errors,
warnings and staging, publish and rollback on the log page, and the Decision 4725 page's values."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.db import data_version, write_engine
from dashboard.intake import audit
from dashboard.intake.batches import stage
from dashboard.markup import md
from test_intake_support import PASSWORD, copy_db, examples, registered_db, users_db, use_db, xlsx  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture()
def store(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Accounts ed (editor), ap and ap2 (approvers) and the Đồng Tháp demo register, on a private copy."""
    return use_db(copy_db(registered_db, tmp_path / "pages.db"), monkeypatch)


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, user: str, password: str | None = None) -> AppTest:
    if "signin_user" not in [w.key for w in at.text_input]:
        at.session_state["signin_box"] = True  # the sidebar's sign-in box, opened
        at.run()
    at.text_input(key="signin_user").set_value(user)
    at.text_input(key="signin_password").set_value(password or PASSWORD[user])
    next(b for b in at.button if b.label in ("Đăng nhập", "Sign in")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    next(b for b in at.button if b.key == key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at: AppTest, column: str):
    """The first table on the page that has `column` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(elements) -> str:  # noqa: ANN001
    return "\n".join(str(e.value) for e in elements)


def test_viewer_has_no_intake_pages_and_the_pages_refuse_by_address(store: Path):
    at = app()
    for page in ("pages/intake.py", "pages/audit.py"):  # reached by address: the refusal, nothing to do
        at.switch_page(page).run()
        assert not at.exception
        assert "cần đăng nhập với vai trò" in texts(at.warning)
        assert not at.get("file_uploader") and not at.dataframe
    for page in ("pages/intake.py", "pages/audit.py"):  # the page script run on its own: refusal, no upload
        direct = AppTest.from_file(str(ROOT / page), default_timeout=120).run()
        assert not direct.exception
        assert "cần đăng nhập với vai trò" in texts(direct.warning)
        assert not direct.get("file_uploader") and not direct.dataframe


def test_wrong_password_and_lock_are_told_clearly(store: Path):
    at = sign_in(app(), "ed", "not-the-password")
    assert "sai tên tài khoản hoặc mật khẩu" in texts(at.error)
    at.switch_page("pages/dx_levels.py").run()  # still a viewer: the dashboards work
    at.switch_page("pages/intake.py").run()
    assert "cần đăng nhập với vai trò" in texts(at.warning) and not at.get("file_uploader")
    for _ in range(5):
        sign_in(at, "ed", "not-the-password")
    sign_in(at, "ed")  # the right password, but the account is locked now
    assert "tạm khóa" in texts(at.error)


def test_editor_uploads_a_bad_file_then_stages_the_demo(store: Path, examples: Path):
    at = sign_in(app(), "ed")
    assert "Đã đăng nhập: **ed**" in texts(at.sidebar.markdown)
    at.switch_page("pages/intake.py").run()
    assert not at.exception and len(at.get("file_uploader")) == 1
    bad = xlsx("school_year", [{"school_code": "NOPE01", "school_year": "2024-2025", "students": "nhiều"}])
    at.get("file_uploader")[0].set_value(("xau.xlsx", bad, "application/octet-stream")).run()
    assert not at.exception
    errors = frame(at, "Nội dung")
    assert list(errors.columns) == ["Tệp", "Trang tính", "Dòng", "Cột", "Nội dung"]
    assert set(errors["Tệp"]) == {"xau.xlsx"} and set(errors["Dòng"]) == {3}
    assert "Mã trường" in set(errors["Cột"]) and any("không phải là số" in m for m in errors["Nội dung"])
    assert next(b for b in at.button if b.key == "ik_stage_button").disabled
    assert "/tmp" not in texts(at.markdown) + texts(at.error)  # no server path

    at.segmented_control(key="ik_kind_choice").set_value("assessment").run()
    f = examples / "demo_dong-thap_2024_assessment.xlsx"
    at.get("file_uploader")[0].set_value((f.name, f.read_bytes(), "application/octet-stream")).run()
    warnings = frame(at, "Nội dung")
    declared = warnings[warnings["Cột"] == "Mức trường tự đánh giá"]
    assert len(declared) == 11  # the demo's schools whose declared level contradicts their scores
    assert all(int(r) >= 3 for r in declared["Dòng"])  # rows as Excel shows them (data from row 3)
    assert next(b for b in at.button if b.key == "ik_stage_button").disabled  # not acknowledged yet
    next(c for c in at.checkbox if c.key.startswith("ik_ack_")).check().run()
    click(at, "ik_stage_button")
    bid = int(audit.batches()["id"].max())
    assert f"Đã tạo lô số {bid}" in texts(at.success)
    assert [m.value for m in at.metric] == ["583", "0", "0"]  # new / changed / unchanged
    b = audit.batches().set_index("id").loc[bid]
    assert (b["status"], b["uploaded_by"], b["n_warnings"]) == ("staged", "ed", len(warnings))


def test_approver_publishes_and_rolls_back_from_the_log(store: Path, examples: Path):
    f = examples / "demo_dong-thap_2024_assessment.xlsx"
    bid = stage(f.read_bytes(), f.name, "assessment", user="ed", ack_warnings=True)
    v0 = data_version(write_engine(store))
    at = sign_in(app(), "ed")
    at.switch_page("pages/audit.py").run()
    assert "Chỉ người phê duyệt" in texts(at.info) and not [b for b in at.button if b.key == "ik_ask_publish"]
    click(at, "signout")
    at.switch_page("pages/audit.py").run()  # signed out: the role message, no actions
    assert "cần đăng nhập với vai trò" in texts(at.warning) and not [b for b in at.button if b.key == "ik_ask_publish"]

    at = sign_in(app(), "ap")
    at.switch_page("pages/dx_levels.py").run()
    assert "Dữ liệu mô phỏng" in texts(at.warning)  # nothing imported yet
    at.switch_page("pages/audit.py").run()
    table = frame(at, "SHA-256")
    assert table.iloc[0]["Lô"] == bid and table.iloc[0]["Trạng thái"] == "Chờ duyệt"
    assert table.iloc[0]["SHA-256"] == audit.batches()["sha256"].iloc[0][:12] + "…"
    click(at, "ik_ask_publish")
    assert f"Phát hành lô {bid}?" in texts(at.warning)
    click(at, "ik_confirm_button")
    assert f"Đã phát hành lô {bid}: 583 mới" in texts(at.success)
    assert data_version(write_engine(store)) == v0 + 1

    at.switch_page("pages/dx_levels.py").run()
    assert "2024-2025" in at.selectbox(key="sy").options  # the imported school year is there now
    at.selectbox(key="sy").set_value("2024-2025").run()
    assert not at.exception
    assert md("Dữ liệu nhập: demo_dong-thap_2024_assessment.xlsx, phê duyệt") in texts(at.info)  # shown as typed
    lv = audit.assessment_levels("87", by="province").iloc[0]
    assert at.metric[0].value == "583"
    assert at.metric[3].value == f"{round(lv['pct_l3'], 1):.1f}".replace(".", ",").replace(",0", "") + "%"
    assert "11 trường có mức tự đánh giá" in texts(at.warning)

    at.switch_page("pages/audit.py").run()
    click(at, "ik_ask_rollback")
    click(at, "ik_confirm_button")
    assert f"Đã hoàn tác lô {bid}" in texts(at.success)
    assert audit.batches().set_index("id").loc[bid, "status"] == "rolled_back"
    at.switch_page("pages/dx_levels.py").run()
    assert "2024-2025" not in at.selectbox(key="sy").options
    assert "Dữ liệu mô phỏng" in texts(at.warning)


def test_dx_page_shows_the_stores_levels(store: Path):
    at = app()
    at.switch_page("pages/dx_levels.py").run()
    assert not at.exception and "QĐ 4725" in at.title[0].value
    assert at.metric[0].value == "583"  # Đồng Tháp's simulated general schools with a level
    assert "mức của trường là mức thấp hơn" in texts(at.markdown)
    dn = AppTest.from_file(APP, default_timeout=120)
    dn.query_params["province"] = "Đắk Nông"
    dn.run()
    dn.switch_page("pages/dx_levels.py").run()
    assert [m.value for m in dn.metric] == ["231", "2,6%", "82,7%", "14,7%"]  # calibrated to 6/191/34 of 231
    pub = frame(dn, "Trích dẫn nguyên văn")
    assert list(pub["%"]) == ["2,6%", "82,7%", "14,7%"] and "6/231" in pub.iloc[0]["Trích dẫn nguyên văn"]


def test_map_layer_colours_every_located_school_by_its_level(store: Path):
    import json

    at = app()
    at.switch_page("pages/stem_map.py").run()
    at.segmented_control(key="map_layer").set_value("dx4725").run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    pts = next(layer for layer in spec["layers"] if layer["id"] == "dx-schools")["data"]
    assert len(pts) == 36  # the Đồng Tháp schools placed on the map (STEM list)
    from dashboard.charts import DX_LEVEL_COLOURS  # the levels' own palette (never the status colours)
    colours = {n: [int(c[i:i + 2], 16) for i in (1, 3, 5)] + [235] for n, c in DX_LEVEL_COLOURS.items()}
    assert all(p["fill"] == colours[p["dx_level"]] for p in pts)
    assert {p["dx_level"] for p in pts} == {1, 2, 3}
    assert all("Dữ liệu mô phỏng" in p["tt_1"] for p in pts)  # nothing imported: each level says it is simulated
    assert "36/595" in texts(at.caption)


def test_report_figures_need_their_document_and_show_their_quotes(store: Path, examples: Path):
    at = sign_in(app(), "ed")
    at.switch_page("pages/intake.py").run()
    at.segmented_control(key="ik_kind_choice").set_value("report").run()
    assert len(at.get("file_uploader")) == 2  # the figures and their document
    f = examples / "demo_dong-thap_2024_report.xlsx"
    at.get("file_uploader")[0].set_value((f.name, f.read_bytes(), "application/octet-stream")).run()
    assert "cần kèm văn bản" in texts(at.info)
    doc = examples / "demo_dong-thap_2024_report.txt"
    at.get("file_uploader")[1].set_value((doc.name, doc.read_bytes(), "text/plain")).run()
    assert "0 lỗi" in texts(at.markdown)
    click(at, "ik_stage_button")
    figures = frame(at, "Trích dẫn nguyên văn")
    quotes = doc.read_text(encoding="utf-8")
    assert len(figures) == 2 and all(q in quotes for q in figures["Trích dẫn nguyên văn"])
    assert list(figures["Chỉ tiêu"]) == ["CASHLESS_SCHOOLS_PCT", "COMPUTER_TESTING_SCHOOLS_PCT"]


def test_approver_rejects_with_a_reason_and_an_odd_file_name_is_shown_as_typed(store: Path):
    name = "so_lieu_*2024*_[ban nhap].xlsx"
    bid = stage(xlsx("school_year", [{"school_code": "87DEMO0002", "school_year": "2024-2025", "students": 10}]),
                name, "school_year", user="ed", ack_warnings=True)
    at = sign_in(app(), "ap")
    at.switch_page("pages/audit.py").run()
    assert name in set(frame(at, "SHA-256")["Tệp"])  # tables show the name exactly
    click(at, "ik_ask_reject")
    at.text_input(key="ik_reject_reason").set_value("thiếu số liệu giáo viên")
    click(at, "ik_confirm_button")
    assert f"Đã từ chối lô {bid}" in texts(at.success)
    b = audit.batches().set_index("id").loc[bid]
    assert (b["status"], b["note"]) == ("rejected", "thiếu số liệu giáo viên")
    assert not [x for x in at.button if x.key == "ik_ask_publish"]  # nothing left to do on a rejected batch

    at.switch_page("pages/intake.py").run()
    at.get("file_uploader")[0].set_value((name, b"not a workbook", "application/octet-stream")).run()
    assert not at.exception
    assert md(name) in texts(at.markdown)  # markdown-escaped: shown as typed, not as emphasis or a link
    assert md(name) in texts(at.error)


def test_dx_page_in_english_has_no_vietnamese_labels(store: Path):
    at = app()
    at.segmented_control(key="lang").set_value("en").run()
    at.switch_page("pages/dx_levels.py").run()
    assert not at.exception and at.title[0].value.startswith("Digital maturity (Decision 4725)")
    assert "Simulated data" in texts(at.warning) and "Dữ liệu mô phỏng" not in texts(at.warning)
    assert [m.label for m in at.metric] == ["Schools", "Share at level 1", "Share at level 2", "Share at level 3"]
    assert at.metric[1].value == "9.9%"  # English number format


def test_dx_page_by_commune_where_the_register_gives_communes(store: Path):
    """Schools registered with a commune are counted by commune too (names of the communes the store knows);
    a year whose schools mostly have no commune (the simulation) shows no commune chart."""
    from dashboard.intake.batches import publish

    at = app()
    at.switch_page("pages/dx_levels.py").run()
    assert "Tỷ lệ trường theo mức, theo xã" not in at.button_group(key="dx_part").options  # simulated: no communes
    schools = [("87CX0001", "29869"), ("87CX0002", "29869"), ("87CX0003", "29884")]  # current communes (7/2025)
    reg = xlsx("register", [{"school_code": c, "name": f"Trường Tiểu học thử {c}", "level": "TH",
                             "province_code": "87", "district_code": "866", "commune_code": x} for c, x in schools])
    publish(stage(reg, "dk_xa.xlsx", "register", user="ed", ack_warnings=True), approver="ap")
    scores = [(30, 40, 1), (60, 70, 2), (80, 90, 3)]
    ass = xlsx("assessment", [{"school_code": c, "school_year": "2025-2026", "score_teaching": a,
                               "score_management": b, "declared_level": lv} for (c, _), (a, b, lv) in zip(schools, scores)])
    publish(stage(ass, "tdg_xa.xlsx", "assessment", user="ed", ack_warnings=True), approver="ap")
    at = app()
    at.switch_page("pages/dx_levels.py").run()
    at.selectbox(key="sy").set_value("2025-2026").run()
    assert not at.exception
    assert "Tỷ lệ trường theo mức, theo xã" in at.button_group(key="dx_part").options
    from dashboard.intake_ui import dx_queries

    com = dx_queries.level_shares("87", by="commune")
    com = com[com["school_year"] == 2025].set_index("group")
    assert (com.loc["Phường Cao Lãnh", ["schools", "l1", "l2"]].tolist(),
            com.loc["Phường Mỹ Ngãi", ["schools", "l3"]].tolist()) \
        == ([2, 1, 1], [1, 1])
