"""UI strings of the intake pages (registered with dashboard.i18n; keys start with ik_)."""
from __future__ import annotations

from ..i18n import register

STRINGS = {
    # navigation
    "ik_page_intake": {"vi": "Nhập dữ liệu", "en": "Data intake"},
    "ik_page_audit": {"vi": "Nhật ký nhập liệu", "en": "Intake log"},
    "ik_page_dx": {"vi": "Mức độ chuyển đổi số (QĐ 4725)", "en": "Digital maturity (Decision 4725)"},
    # account
    "ik_account": {"vi": "Tài khoản nhập liệu", "en": "Intake account"},
    "ik_account_help": {"vi": "Chỉ cán bộ nhập liệu và người phê duyệt cần đăng nhập; xem bảng điều khiển không cần.",
                        "en": "Only data staff and approvers sign in; viewing the dashboard needs no account."},
    "ik_signin_box": {"vi": "Cán bộ nhập liệu, phê duyệt", "en": "Data staff and approvers"},
    "ik_username": {"vi": "Tên tài khoản", "en": "User name"},
    "ik_password": {"vi": "Mật khẩu", "en": "Password"},
    "ik_sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "ik_sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "ik_signed_in": {"vi": "Đã đăng nhập: **{user}** — {role}", "en": "Signed in: **{user}** — {role}"},
    "ik_checking": {"vi": "Đang kiểm tra mật khẩu…", "en": "Checking the password…"},
    "ik_signin_empty": {"vi": "Nhập tên tài khoản và mật khẩu.", "en": "Enter the user name and the password."},
    "ik_signin_failed": {"vi": "Không đăng nhập được: {msg}.", "en": "Could not sign in: {msg}."},
    "ik_slow_note": {"vi": "Sau nhiều lần nhập sai, mỗi lần thử sẽ chậm hơn và tài khoản bị khóa tạm thời.",
                     "en": "After repeated wrong passwords each try is slower and the account is locked for a while."},
    "ik_role_editor": {"vi": "cán bộ nhập liệu (editor)", "en": "editor"},
    "ik_role_approver": {"vi": "người phê duyệt (approver)", "en": "approver"},
    "ik_need_role": {"vi": "Trang này cần đăng nhập với vai trò {role}. Đăng nhập ở mục \"Tài khoản nhập liệu\" "
                             "trên thanh bên.",
                     "en": "This page needs a sign-in with the {role} role. Sign in under \"Intake account\" in the "
                           "sidebar."},
    "ik_need_role_action": {"vi": "Việc này cần vai trò {role}; tài khoản hiện tại không có quyền.",
                            "en": "This needs the {role} role; the current account may not do it."},
    # intake page
    "ik_intro": {"vi": "Tải lên tệp theo mẫu → kiểm tra → nạp thành lô **chờ duyệt** (chưa hiện trên bảng điều "
                       "khiển) → người phê duyệt phát hành ở trang Nhật ký nhập liệu.",
                 "en": "Upload a file made from the template → check → stage it as a batch **awaiting approval** "
                       "(not shown on the dashboards) → an approver publishes it on the Intake log page."},
    "ik_kind": {"vi": "Loại dữ liệu", "en": "Kind of data"},
    "ik_kind_help_register": {"vi": "Danh sách trường: mã trường (Bộ GDĐT), tên, cấp học, công lập/tư thục, tỉnh, "
                                    "huyện (trước 7/2025) và/hoặc xã (từ 7/2025), toạ độ nếu có. Nạp trước các loại khác.",
                              "en": "School register: MOET school code, name, level, public/private, province, "
                                    "district (before 7/2025) and/or commune (from 7/2025), coordinates if known. "
                                    "Load it before the other kinds."},
    "ik_kind_help_school_year": {"vi": "Số liệu từng trường theo năm học: hạ tầng (cáp quang, Wi-Fi, máy tính), học "
                                       "sinh, giáo viên và các ứng dụng CNTT. Trường phải có trong danh sách trường.",
                                 "en": "Per school and school year: infrastructure (fibre, Wi-Fi, computers), "
                                       "students, teachers and IT adoption. Schools must be in the register."},
    "ik_kind_help_assessment": {"vi": "Tự đánh giá theo QĐ 4725/QĐ-BGDĐT: điểm hai nhóm tiêu chí, mức trường tự "
                                      "đánh giá và mức Sở/Phòng thẩm định. Hệ thống tự tính mức từ điểm.",
                                "en": "Decision 4725/QĐ-BGDĐT self-assessment: the two criteria groups' scores, the "
                                      "level the school declared and the level the Sở/Phòng verified. The level is "
                                      "also computed from the scores."},
    "ik_kind_help_report": {"vi": "Số liệu cấp tỉnh từ một báo cáo mới, kèm văn bản (.txt) để đối chiếu nguyên văn "
                                  "trích dẫn.",
                            "en": "Province figures from a new report, with the document (.txt) the verbatim "
                                  "quotes are checked against."},
    "ik_template": {"vi": "⬇ Tệp mẫu (.xlsx)", "en": "⬇ Template (.xlsx)"},
    "ik_demo": {"vi": "⬇ Tệp minh hoạ", "en": "⬇ Demo workbook"},
    "ik_demo_doc": {"vi": "⬇ Văn bản minh hoạ (.txt)", "en": "⬇ Demo document (.txt)"},
    "ik_demo_note": {"vi": "Tệp minh hoạ là dữ liệu mô phỏng, không phải số liệu thật.",
                     "en": "The demo workbook holds simulated data, not real figures."},
    "ik_demo_missing": {"vi": "Chưa có tệp minh hoạ (tạo bằng: python -m dashboard intake demo).",
                        "en": "No demo workbook yet (make one with: python -m dashboard intake demo)."},
    "ik_upload": {"vi": "Tệp dữ liệu (.xlsx, .xls, .ods hoặc .csv)", "en": "Data file (.xlsx, .xls, .ods or .csv)"},
    "ik_browse": {"vi": "Chọn tệp", "en": "Browse files"},
    "ik_drop_hint": {"vi": "hoặc kéo thả tệp vào đây — tối đa 20 MB mỗi tệp",
                     "en": "or drop a file here — at most 20 MB per file"},
    "ik_checking_file": {"vi": "Đang đọc và kiểm tra tệp…", "en": "Reading and checking the file…"},
    "ik_staging": {"vi": "Đang nạp thành lô chờ duyệt…", "en": "Staging the batch…"},
    "ik_previewing": {"vi": "Đang tính bản xem trước…", "en": "Computing the preview…"},
    "ik_upload_doc": {"vi": "Văn bản báo cáo (.txt, UTF-8)", "en": "Report document (.txt, UTF-8)"},
    "ik_need_doc": {"vi": "Số liệu báo cáo cần kèm văn bản (.txt) để đối chiếu trích dẫn.",
                    "en": "Report figures need their document (.txt) to check the quotes."},
    "ik_checked": {"vi": "Đã kiểm tra **{file}**: {rows} dòng, {errors} lỗi, {warnings} cảnh báo.",
                   "en": "Checked **{file}**: {rows} rows, {errors} errors, {warnings} warnings."},
    "ik_errors": {"vi": "Lỗi — cần sửa tệp rồi tải lên lại (không có gì được ghi)",
                  "en": "Errors — fix the file and upload it again (nothing was written)"},
    "ik_warnings": {"vi": "Cảnh báo — cần xem và xác nhận", "en": "Warnings — review and acknowledge"},
    "ik_ack": {"vi": "Tôi đã xem {n} cảnh báo và chấp nhận nạp tệp như vậy",
               "en": "I have reviewed the {n} warning(s) and accept the file as it is"},
    "ik_no_problems": {"vi": "Không có lỗi hay cảnh báo.", "en": "No errors or warnings."},
    "ik_stage": {"vi": "Nạp thành lô chờ duyệt", "en": "Stage as a batch awaiting approval"},
    "ik_staged": {"vi": "Đã tạo lô số {id} (chờ duyệt). Lô chưa hiện trên bảng điều khiển cho đến khi người phê duyệt "
                        "phát hành ở trang Nhật ký nhập liệu.",
                  "en": "Batch {id} staged (awaiting approval). It is not on the dashboards until an approver "
                        "publishes it on the Intake log page."},
    "ik_col_severity": {"vi": "Mức", "en": "Severity"},
    "ik_col_file": {"vi": "Tệp", "en": "File"},
    "ik_col_sheet": {"vi": "Trang tính", "en": "Sheet"},
    "ik_col_row": {"vi": "Dòng", "en": "Row"},
    "ik_col_field": {"vi": "Cột", "en": "Field"},
    "ik_col_message": {"vi": "Nội dung", "en": "Message"},
    "ik_sev_error": {"vi": "Lỗi", "en": "Error"},
    "ik_sev_warning": {"vi": "Cảnh báo", "en": "Warning"},
    # preview
    "ik_preview": {"vi": "Xem trước khi phát hành — lô {id}", "en": "Preview before publishing — batch {id}"},
    "ik_preview_note": {"vi": "Số \"sau\" là đúng những gì bảng điều khiển sẽ hiện nếu phát hành lô này (tính thử "
                              "trong một giao dịch rồi huỷ; không ghi gì).",
                        "en": "The \"after\" figures are exactly what the dashboards would show if this batch were "
                              "published (computed in a transaction that is then rolled back; nothing is written)."},
    "ik_new": {"vi": "Mới", "en": "New"},
    "ik_changed": {"vi": "Thay đổi", "en": "Changed"},
    "ik_unchanged": {"vi": "Không đổi", "en": "Unchanged"},
    "ik_prov_values": {"vi": "Toàn tỉnh: trước và sau", "en": "Province: before and after"},
    "ik_dist_values": {"vi": "Theo huyện: trước và sau", "en": "By district: before and after"},
    "ik_measure": {"vi": "Chỉ số", "en": "Measure"},
    "ik_prev_year": {"vi": "Năm học trước", "en": "Previous school year"},
    "ik_change_pts": {"vi": "Chênh lệch (điểm %)", "en": "Change (points)"},
    "ik_before": {"vi": "Trước", "en": "Before"},
    "ik_after": {"vi": "Sau", "en": "After"},
    "ik_change": {"vi": "Chênh lệch (trước → sau)", "en": "Change (before → after)"},
    "ik_jumps": {"vi": "{n} trường thay đổi hơn 30 điểm phần trăm — hãy kiểm tra lại",
                 "en": "{n} school(s) change by more than 30 percentage points — check them"},
    "ik_no_jumps": {"vi": "Không trường nào thay đổi quá 30 điểm phần trăm.",
                    "en": "No school changes by more than 30 percentage points."},
    "ik_school": {"vi": "Trường", "en": "School"},
    "ik_code": {"vi": "Mã trường", "en": "School code"},
    "ik_figures": {"vi": "Số liệu báo cáo và các số đã công bố cùng kỳ", "en": "Report figures and statements of the same period"},
    "ik_period": {"vi": "Kỳ", "en": "Period"},
    "ik_printed": {"vi": "Số in trong văn bản", "en": "As printed"},
    "ik_section": {"vi": "Mục", "en": "Section"},
    "ik_quote": {"vi": "Trích dẫn nguyên văn", "en": "Verbatim quote"},
    "ik_other": {"vi": "Số đã có trong kho", "en": "Already in the store"},
    # audit page
    "ik_audit_intro": {"vi": "Mọi lô đã tải lên: trạng thái, tệp (SHA-256), người tải lên, người phê duyệt, thời gian "
                             "và tác động. Người phê duyệt phát hành, từ chối hoặc hoàn tác tại đây.",
                       "en": "Every uploaded batch: status, file (SHA-256), uploader, approver, times and effect. "
                             "Approvers publish, reject or roll back here."},
    "ik_no_batches": {"vi": "Chưa có lô nào.", "en": "No batches yet."},
    "ik_batch": {"vi": "Lô", "en": "Batch"},
    "ik_status": {"vi": "Trạng thái", "en": "Status"},
    "ik_province": {"vi": "Tỉnh", "en": "Province"},
    "ik_years": {"vi": "Năm học", "en": "School years"},
    "ik_uploaded": {"vi": "Tải lên", "en": "Uploaded"},
    "ik_approved": {"vi": "Phê duyệt", "en": "Approved"},
    "ik_closed": {"vi": "Hoàn tác / từ chối", "en": "Rolled back / rejected"},
    "ik_rows": {"vi": "Dòng", "en": "Rows"},
    "ik_effect": {"vi": "Tác động (mới / đổi / giữ nguyên)", "en": "Effect (new / changed / unchanged)"},
    "ik_live": {"vi": "Dòng đang dùng", "en": "Rows in use"},
    "ik_choose_batch": {"vi": "Chọn lô", "en": "Choose a batch"},
    "ik_files": {"vi": "Tệp của lô", "en": "Files of the batch"},
    "ik_size": {"vi": "Kích thước (byte)", "en": "Size (bytes)"},
    "ik_download_file": {"vi": "⬇ Tải tệp gốc", "en": "⬇ Download the original file"},
    "ik_ack_warnings": {"vi": "Cảnh báo người tải lên đã xác nhận", "en": "Warnings the uploader acknowledged"},
    "ik_publish": {"vi": "Phát hành lô {id}", "en": "Publish batch {id}"},
    "ik_reject": {"vi": "Từ chối lô {id}", "en": "Reject batch {id}"},
    "ik_rollback": {"vi": "Hoàn tác lô {id}", "en": "Roll back batch {id}"},
    "ik_reject_note": {"vi": "Lý do từ chối", "en": "Reason for rejecting"},
    "ik_confirm_publish": {"vi": "Phát hành lô {id}? Bảng điều khiển sẽ dùng số liệu của lô ngay (một giao dịch).",
                           "en": "Publish batch {id}? The dashboards use its data at once (one transaction)."},
    "ik_confirm_reject": {"vi": "Từ chối lô {id}? Lô sẽ đóng, không được phát hành.",
                          "en": "Reject batch {id}? It is closed and never published."},
    "ik_confirm_rollback": {"vi": "Hoàn tác lô {id}? Kho trở lại đúng trạng thái trước khi phát hành lô này.",
                            "en": "Roll back batch {id}? The store returns exactly to its state before this batch."},
    "ik_confirm": {"vi": "Xác nhận", "en": "Confirm"},
    "ik_cancel": {"vi": "Huỷ", "en": "Cancel"},
    "ik_done_publish": {"vi": "Đã phát hành lô {id}: {new} mới, {changed} thay đổi, {unchanged} không đổi.",
                        "en": "Batch {id} published: {new} new, {changed} changed, {unchanged} unchanged."},
    "ik_done_reject": {"vi": "Đã từ chối lô {id}.", "en": "Batch {id} rejected."},
    "ik_done_rollback": {"vi": "Đã hoàn tác lô {id}.", "en": "Batch {id} rolled back."},
    "ik_own_batch": {"vi": "Bạn đã tải lên lô này: cần một người phê duyệt khác phát hành (nguyên tắc bốn mắt).",
                     "en": "You uploaded this batch: another approver must publish it (four-eyes rule)."},
    "ik_approver_only": {"vi": "Chỉ người phê duyệt (approver) mới phát hành, từ chối hoặc hoàn tác lô.",
                         "en": "Only an approver publishes, rejects or rolls back batches."},
    "ik_refused": {"vi": "Không thực hiện được", "en": "Not done"},
    # 4725 page
    "ik_dx_intro": {"vi": "Tỷ lệ trường ở từng mức chuyển đổi số theo Bộ chỉ số của Quyết định 4725/QĐ-BGDĐT "
                          "(30/12/2022): hai nhóm tiêu chí, mỗi nhóm 100 điểm.",
                    "en": "Share of schools at each digital-transformation level of the index of Decision "
                          "4725/QĐ-BGDĐT (30/12/2022): two criteria groups, each scored out of 100."},
    "ik_dx_none": {"vi": "Chưa có dữ liệu mức chuyển đổi số cho tỉnh này.",
                   "en": "No digital-maturity data for this province yet."},
    "ik_dx_sim": {"vi": "Dữ liệu mô phỏng: chưa có tự đánh giá QĐ 4725 được nhập cho năm học này. Mức của từng trường "
                        "là mô phỏng (hiệu chỉnh theo số công bố nếu có); không có điểm từng nhóm.",
                  "en": "Simulated data: no Decision 4725 self-assessments have been imported for this school year. "
                        "Each school's level is simulated (calibrated to published figures where there are some); "
                        "there are no group scores."},
    "ik_dx_by_district": {"vi": "Tỷ lệ trường theo mức, theo huyện", "en": "Share of schools by level, by district"},
    "ik_dx_by_commune": {"vi": "Tỷ lệ trường theo mức, theo xã", "en": "Share of schools by level, by commune"},
    "ik_dx_commune_cover": {"vi": "{n}/{N} trường có mã xã", "en": "{n}/{N} schools with a commune code"},
    "ik_dx_by_level": {"vi": "Tỷ lệ trường theo mức, theo cấp học", "en": "Share of schools by level, by school level"},
    "ik_dx_by_year": {"vi": "Toàn tỉnh qua các năm học", "en": "Province over the school years"},
    "ik_dx_scores": {"vi": "Điểm hai nhóm tiêu chí", "en": "Scores of the two criteria groups"},
    "ik_dx_scores_none": {"vi": "Điểm từng nhóm tiêu chí chỉ có khi đã nhập tự đánh giá QĐ 4725 (dữ liệu mô phỏng chỉ "
                                "có mức).",
                          "en": "Group scores exist only for imported Decision 4725 self-assessments (the simulated "
                                "data has levels only)."},
    "ik_dx_mean_scores": {"vi": "Điểm trung bình theo huyện", "en": "Mean scores by district"},
    "ik_dx_compare": {"vi": "Mức tự đánh giá, mức thẩm định và mức tính từ điểm",
                      "en": "Declared, verified and computed levels"},
    "ik_dx_flagged": {"vi": "{n} trường có mức tự đánh giá hoặc thẩm định khác mức tính từ điểm",
                      "en": "{n} school(s) whose declared or verified level differs from the computed one"},
    "ik_dx_noflag": {"vi": "Mức tự đánh giá và mức thẩm định khớp với mức tính từ điểm ở mọi trường.",
                     "en": "Declared and verified levels match the computed level at every school."},
    "ik_dx_change": {"vi": "Thay đổi so với năm học trước", "en": "Change since the previous school year"},
    "ik_dx_no_prev": {"vi": "Chưa có năm học trước để so sánh.", "en": "No previous school year to compare with."},
    "ik_dx_schools": {"vi": "Danh sách trường", "en": "School list"},
    "ik_dx_published": {"vi": "Số liệu công bố trong văn bản", "en": "Figures published in documents"},
    "ik_dx_rule": {"vi": "Cách tính mức và nguồn", "en": "How the level is computed, and the source"},
    "ik_dx_target": {"vi": "Mục tiêu của tỉnh", "en": "Province target"},
    "ik_dx_no_target": {"vi": "Tỉnh chưa đặt mục tiêu riêng về mức chuyển đổi số theo QĐ 4725 trong các văn bản đã "
                              "lưu.",
                        "en": "The stored documents set no province target for the Decision 4725 levels."},
    "ik_other_years": {"vi": "các năm còn lại", "en": "the other years"},
    "ik_map_layer": {"vi": "Lớp bản đồ", "en": "Map layer"},
    "ik_map_stem": {"vi": "Trường có phòng STEM", "en": "STEM-lab schools"},
    "ik_map_dx": {"vi": "Mức chuyển đổi số (QĐ 4725)", "en": "Digital maturity (Decision 4725)"},
    "ik_map_title": {"vi": "Trường có toạ độ, tô màu theo mức chuyển đổi số (QĐ 4725)",
                     "en": "Schools with coordinates, coloured by Decision 4725 level"},
    "ik_map_note": {"vi": "Mỗi trường mang mức của năm học gần nhất có dữ liệu (dữ liệu nhập nếu năm đó đã nhập tự "
                          "đánh giá, nếu không là dữ liệu mô phỏng; xem chú thích khi trỏ chuột). Chỉ trường có toạ độ "
                          "mới hiện: {n}/{total} trường của tỉnh. Danh sách trường nhập vào có thể kèm toạ độ.",
                    "en": "Each school carries its level in its newest school year with data (imported where that "
                          "year's self-assessments were imported, else simulated; see the tooltip). Only schools "
                          "with coordinates are shown: {n} of the province's {total}. An imported register may "
                          "carry coordinates."},
    "ik_map_none": {"vi": "Chưa có trường nào của tỉnh này có toạ độ.",
                    "en": "No school of this province has coordinates yet."},
    "ik_map_no_level": {"vi": "Chưa có mức", "en": "No level"},
    "ik_map_schools_in_district": {"vi": "{n} trường có toạ độ", "en": "{n} school(s) with coordinates"},
    "ik_level_n": {"vi": "Mức {n}", "en": "Level {n}"},
    "ik_declared": {"vi": "Tự đánh giá", "en": "Declared"},
    "ik_verified": {"vi": "Thẩm định", "en": "Verified"},
    "ik_computed": {"vi": "Tính từ điểm", "en": "Computed"},
    "ik_counted": {"vi": "Mức dùng để tính", "en": "Level counted"},
    "ik_flag": {"vi": "⚑ Khác biệt", "en": "⚑ Differs"},
    "ik_schools_n": {"vi": "Số trường", "en": "Schools"},
    "ik_share_l": {"vi": "Tỷ lệ mức {n}", "en": "Share at level {n}"},
    "ik_pts": {"vi": "{x} điểm % so với năm trước", "en": "{x} points vs previous year"},
    "ik_source_imported": {"vi": "Dữ liệu nhập", "en": "Imported data"},
    "ik_counted_rule": {"vi": "Mức dùng để tính: mức thẩm định nếu có, nếu không là mức tính từ điểm, nếu không là mức "
                                "tự đánh giá.",
                        "en": "Level counted: the verified level where there is one, else the computed one, else the "
                              "declared one."},
}
register(STRINGS)
