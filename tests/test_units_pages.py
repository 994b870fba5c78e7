"""The sidebar's province selector in both geographies (AppTest): current provinces with store data and the
former ones marked "(trước 7/2025)"; choosing Thành phố Cần Thơ shows the former Sóc Trăng's figures labelled."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _widget(at: AppTest, kind: str, key: str):
    return next(w for w in at.get(kind) if getattr(w, "key", None) == key)


def test_province_selector_offers_both_geographies_and_rolls_can_tho_up_from_soc_trang():
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    sel = _widget(at, "selectbox", "province")
    assert sel.options == ["Thành phố Cần Thơ", "Tỉnh Lâm Đồng", "Tỉnh Đồng Tháp", "Sóc Trăng (trước 7/2025)",
                           "Đắk Nông (trước 7/2025)", "Đồng Tháp (trước 7/2025)"]
    assert sel.value == "87"  # codes are the options (and the URL values)
    assert not at.info or not any("tỉnh cũ" in i.value for i in at.info)
    soc_trang_overview = [m.value for m in at.markdown]
    sel.set_value("92-2025").run()
    assert not at.exception, [e.value for e in at.exception]
    note = next(i.value for i in at.info if i.value.startswith("Thành phố Cần Thơ gồm các tỉnh cũ"))
    assert "Cần Thơ, Hậu Giang, Sóc Trăng" in note and "**Sóc Trăng (trước 7/2025)**" in note
    assert "1/3 tỉnh cũ có số liệu" in note
    assert at.title[0].value == "Tổng quan — Thành phố Cần Thơ"  # the chosen unit; the note names the figures
    # below the province: former districts of Sóc Trăng; the current communes of Cần Thơ (103) are known to the
    # store, the filter offers those Sóc Trăng's communes became
    assert len(_widget(at, "multiselect", "district").options) == 11
    assert 0 < len(_widget(at, "multiselect", "commune").options) < 103
    from dashboard.units import queries as uq

    communes = uq.current_communes("92")
    assert len(communes) == 103 and "Phường Phú Lợi" in communes["fullname"].tolist()
    # the same figures as the former Sóc Trăng chosen directly
    direct = AppTest.from_file(APP, default_timeout=90).run()
    _widget(direct, "selectbox", "province").set_value("94").run()
    # (a target of the former province names it on the current province's page: the only difference)
    former_target = "Kế hoạch tỉnh Sóc Trăng (trước 7/2025)"
    assert any(former_target in m.value for m in at.markdown)
    assert [m.value for m in direct.markdown if "Sóc Trăng" in m.value or "%" in m.value] == \
        [m.value.replace(former_target, "Kế hoạch tỉnh") for m in at.markdown if "Sóc Trăng" in m.value or "%" in m.value]
    assert not any(i.value.startswith("Thành phố Cần Thơ gồm") for i in direct.info)
    assert soc_trang_overview  # the default page rendered too


def test_targets_page_lists_targets_the_new_province_has_not_restated_in_english():
    at = AppTest.from_file(APP, default_timeout=90).run()
    _widget(at, "segmented_control", "lang").set_value("en").run()
    _widget(at, "selectbox", "province").set_value("92-2025").run()
    at.switch_page("pages/targets.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(i.value.startswith("Thành phố Cần Thơ merges the former provinces Cần Thơ, Hậu Giang, Sóc Trăng")
               and "1 of 3 former provinces reported" in i.value for i in at.info)
    assert any(h.value == "Targets of former provinces the new province has not restated" for h in at.subheader)
    table = next(d.value for d in at.dataframe if "Set by" in d.value.columns)
    assert set(table["Set by"]) == {"Sóc Trăng (before 7/2025)"} and len(table) > 5
    assert any(c.value.startswith("Each target stays attached to the former province that set it. Thành phố Cần "
                                  f"Thơ has not restated the {len(table)} targets below") for c in at.caption)


def test_an_old_link_naming_a_province_by_its_name_opens_the_former_province():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["province"] = "Đắk Nông"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _widget(at, "selectbox", "province").value == "67"
    assert at.title[0].value.endswith("Đắk Nông")
    assert not at.warning, [w.value for w in at.warning]
