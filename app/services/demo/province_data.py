"""Name parts for `flask demo generate`: a province of ~1.700 units needs more names than the demo."""
from app.models.units import KIND_DIVISION

# The demo has seven phòng; a province Sở has about ten.
EXTRA_DIVISIONS: list[tuple[str, str, str, str, list[str]]] = [
    (KIND_DIVISION, "TTRA", "Thanh tra Sở", "Thanh tra", []),
    (KIND_DIVISION, "CTHSSV", "Phòng Công tác học sinh, sinh viên", "Phòng CTHSSV", []),
    (KIND_DIVISION, "KTKD", "Phòng Khảo thí và Kiểm định chất lượng", "Phòng KT&KĐ", []),
]

SCHOOL_LEVELS = ["THPT", "THCS", "Tiểu học", "Mầm non", "TH và THCS", "THCS và THPT", "PTDTNT"]
SCHOOL_LEVEL_WEIGHTS = [3, 5, 6, 5, 1, 1, 1]
PLACES = [
    "Hồng Bàng", "Lê Chân", "Ngô Quyền", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh", "An Dương",
    "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Thủy Nguyên", "Bạch Long Vĩ",
    "Trần Phú", "Lý Tự Trọng", "Nguyễn Du", "Chu Văn An", "Lương Thế Vinh", "Võ Thị Sáu", "Hoa Sen",
    "Tân Tiến", "Đông Hải", "Nam Sơn", "Bắc Sơn", "Quốc Tuấn", "Hồng Phong", "Thái Sơn", "Hòa Bình",
    "Đại Thắng", "Tân Dân", "Kiến Quốc", "Ngũ Phúc", "Đoàn Xá", "Bàng La", "Minh Tân", "Hưng Đạo",
    "Quang Trung", "Yên Thắng", "Lạch Tray", "Cát Bi", "Đằng Giang", "Vạn Mỹ", "Máy Tơ", "Gia Viên",
    "Đông Khê", "Cầu Đất", "Trại Cau", "Niệm Nghĩa", "An Biên", "Dư Hàng", "Hàng Kênh", "Vĩnh Niệm",
    "Nam Hải", "Tràng Cát", "Đằng Lâm", "Bàng La", "Hợp Đức", "Phù Liễn", "Văn Đẩu", "Lãm Hà",
    "Tân Phong", "Thanh Lương", "Cổ Am", "Tam Cường", "Hùng Tiến", "Vinh Quang", "Lý Học", "Trung Lập",
]
COMMUNE_PREFIXES = ["UBND xã", "UBND xã", "UBND phường", "UBND đặc khu"]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Hồng", "Thanh", "Xuân", "Ngọc"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long",
               "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]

PLAN_TITLES = [
    "Kế hoạch thực hiện nhiệm vụ chuyển đổi số, ứng dụng công nghệ thông tin",
    "Kế hoạch triển khai công tác thống kê giáo dục",
    "Kế hoạch bảo đảm an toàn thông tin mạng",
    "Kế hoạch cải cách hành chính và chuyển đổi số ngành giáo dục",
    "Kế hoạch nâng cao chất lượng giáo dục và kiểm định",
    "Kế hoạch triển khai Đề án 06 trong ngành giáo dục",
]
TASK_GROUPS = ["Hạ tầng số, CSDL", "Quản lý - điều hành", "Dạy học số", "An toàn thông tin", "Thống kê",
               "Cải cách hành chính"]
TASK_VERBS = ["Cập nhật", "Triển khai", "Rà soát", "Chuẩn hóa", "Báo cáo", "Tổ chức", "Kiểm tra", "Xây dựng"]
TASK_OBJECTS = [
    "dữ liệu học sinh, giáo viên trên CSDL ngành", "học bạ số và sổ điểm điện tử",
    "chữ ký số cho cán bộ quản lý", "hệ thống quản lý văn bản và điều hành (eOffice)",
    "kế hoạch bảo đảm an toàn thông tin", "số liệu thống kê đầu năm học", "tuyển sinh trực tuyến",
    "thanh toán không dùng tiền mặt", "bồi dưỡng kỹ năng số cho giáo viên", "mã định danh GV, HS",
    "kho học liệu số dùng chung", "đánh giá mức độ chuyển đổi số của cơ sở giáo dục",
]
UPDATE_NOTES = [
    "Đã triển khai đến các tổ chuyên môn",
    "Đang rà soát, bổ sung số liệu",
    "Đã gửi báo cáo về Sở",
    "Hoàn thiện hồ sơ minh chứng",
    "Đã cập nhật trên hệ thống",
    "Gặp khó khăn về đường truyền, đang khắc phục",
]
