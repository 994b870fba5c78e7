"""UI strings of the two-geographies feature (registered with dashboard.i18n; keys prefixed 'units_')."""
from __future__ import annotations

from ..i18n import register, t

_S = {
    "former_label": {"vi": "{name} (trước 7/2025)", "en": "{name} (before 7/2025)"},
    "coverage": {"vi": "{n}/{of} tỉnh cũ có số liệu", "en": "{n} of {of} former provinces reported"},
    "combined_share": {"vi": "Tỷ lệ tính từ tổng tử số và tổng mẫu số của các tỉnh cũ ({num}/{den}), không lấy "
                       "trung bình các tỷ lệ.",
                       "en": "Share computed from the former provinces' summed numerators and denominators "
                       "({num}/{den}), not an average of their shares."},
    "combined_count": {"vi": "Tổng số liệu của cả {n} tỉnh cũ, cùng kỳ báo cáo.",
                       "en": "Sum of all {n} former provinces, same reporting period."},
    "why_partial": {"vi": "{coverage}: chưa cộng thành số của tỉnh mới; số liệu từng tỉnh cũ ghi riêng.",
                    "en": "{coverage}: not summed into the new province; each former province's figure is shown "
                    "on its own."},
    "why_periods": {"vi": "Các tỉnh cũ báo cáo cho các kỳ khác nhau: không cộng.",
                    "en": "The former provinces reported different periods: not summed."},
    "why_qualified": {"vi": "Có số liệu ghi dạng ước lượng hoặc ngưỡng (trên, khoảng…): không cộng.",
                      "en": "A figure is printed as an estimate or a bound (over, about…): not summed."},
    "why_no_denominators": {"vi": "Thiếu tử số hoặc mẫu số của một tỉnh cũ: không tính tỷ lệ chung, không lấy "
                            "trung bình.", "en": "A former province printed no numerator or denominator: no "
                            "combined share, and never an average."},
    "why_not_additive": {"vi": "Chỉ tiêu không cộng được giữa các tỉnh.",
                         "en": "This indicator does not add up across provinces."},
    "province_current": {"vi": "{name} (từ 7/2025)", "en": "{name} (from 7/2025)"},
    "geography_note": {"vi": "{current} gồm các tỉnh cũ: {parts}. Số liệu công bố bên dưới là của {with_data}, "
                       "ghi theo đơn vị đã công bố. {coverage}.",
                       "en": "{current} merges the former provinces {parts}. The published figures below are "
                       "those of {with_data}, labelled with the unit they were published for. {coverage}."},
    "former_district": {"vi": "Huyện cũ (trước 7/2025)", "en": "Former district (before 7/2025)"},
    "current_commune": {"vi": "Xã/phường (từ 7/2025)", "en": "Commune/ward (from 7/2025)"},
    "communes_all": {"vi": "Tất cả xã/phường", "en": "All communes"},
    "commune_note": {"vi": "Lọc theo xã/phường (từ 7/2025): {chosen} trường thuộc các xã/phường đã chọn. Chỉ "
                     "{placed}/{schools} trường của {former} có xã/phường mới đã biết (xã đăng ký khi nhập dữ liệu, hoặc "
                     "xã cũ quy đổi theo bảng chuyển đổi); các trường khác không được tính vào xã nào.",
                     "en": "Filtered by commune (from 7/2025): {chosen} schools in the chosen communes. Only "
                     "{placed} of the {schools} schools of {former} have a known current commune (registered at "
                     "intake, or their former commune converted by the crosswalk); the others are counted in no "
                     "commune."},
    "not_restated_title": {"vi": "Chỉ tiêu của tỉnh cũ chưa được tỉnh mới ban hành lại",
                           "en": "Targets of former provinces the new province has not restated"},
    "not_restated_note": {"vi": "Mỗi chỉ tiêu vẫn gắn với tỉnh cũ đã đặt ra nó. {current} chưa ban hành lại "
                          "{n} chỉ tiêu dưới đây (chưa có văn bản của tỉnh mới trong dữ liệu).",
                          "en": "Each target stays attached to the former province that set it. {current} has not "
                          "restated the {n} targets below (no document of the new province in the data)."},
    "map_current_note": {"vi": "Đường viền đậm: {current} (từ 7/2025), hợp từ các tỉnh cũ (đường mảnh). Ranh giới huyện "
                         "cũ chỉ có cho {province} (trước 7/2025).",
                         "en": "Thick outline: {current} (from 7/2025), the union of its former provinces (thin lines). "
                         "Former district boundaries are shipped for {province} (before 7/2025) only."},
    "geography": {"vi": "Địa giới", "en": "Boundaries"},
    "geo_current": {"vi": "Từ 7/2025 (34 tỉnh)", "en": "From 7/2025 (34 provinces)"},
    "geo_former": {"vi": "Trước 7/2025 (63 tỉnh, có huyện)", "en": "Before 7/2025 (63 provinces, districts)"},
}

register({f"units_{k}": v for k, v in _S.items()})


def s(key: str, lang: str = "vi") -> str:
    return t(f"units_{key}", lang)
