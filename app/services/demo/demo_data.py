"""The demo Sở: names of real-looking units, groups and accounts (data only)."""
from app.models.units import (
    KIND_CENTRE,
    KIND_COMMUNE,
    KIND_DIVISION,
    KIND_OFFICE,
    KIND_SCHOOL,
)

ROOT = ("SGDDT", "Sở Giáo dục và Đào tạo Hải Phòng", "Sở GDĐT")

# (code, name, short name, aliases)
OFFICE_AND_DIVISIONS = [
    (KIND_OFFICE, "VP", "Văn phòng Sở", "Văn phòng", ["Văn phòng Sở GDĐT"]),
    (KIND_DIVISION, "GDPT", "Phòng Giáo dục phổ thông", "Phòng GDPT", []),
    (KIND_DIVISION, "GDTRH", "Phòng Giáo dục trung học", "Phòng GDTrH", []),
    (KIND_DIVISION, "QLCL", "Phòng Quản lý chất lượng", "Phòng QLCL", ["Phòng QLCL - CĐS"]),
    (KIND_DIVISION, "KHTC", "Phòng Kế hoạch - Tài chính", "Phòng KHTC", []),
    (KIND_DIVISION, "TCCB", "Phòng Tổ chức cán bộ", "Phòng TCCB", []),
    (KIND_DIVISION, "TCHC", "Phòng Tổ chức - Hành chính", "Phòng TC-HC", []),
    (
        KIND_DIVISION,
        "GDNN",
        "Phòng Giáo dục nghề nghiệp, thường xuyên và mầm non",
        "Phòng GDNN, GDTX và mầm non",
        ["Phòng GDNN-GDTX-MN"],
    ),
]

SCHOOL_NAMES = [
    "THPT chuyên Trần Phú", "THPT Ngô Quyền", "THPT Thái Phiên", "THPT Lê Quý Đôn", "THPT Trần Nguyên Hãn",
    "THPT Lê Hồng Phong", "THPT Hồng Bàng", "THPT Lê Chân", "THPT Marie Curie", "THPT Đồng Hòa",
    "THPT Kiến An", "THPT Phan Đăng Lưu", "THPT Đồ Sơn", "THPT An Dương", "THPT An Lão",
    "THPT Trần Hưng Đạo", "THPT Kiến Thụy", "THPT Nguyễn Đức Cảnh", "THPT Tiên Lãng", "THPT Hùng Thắng",
    "THPT Vĩnh Bảo", "THPT Nguyễn Khuyến", "THPT Thủy Sơn", "THPT Lý Thường Kiệt", "THPT Phạm Ngũ Lão",
    "THPT Quang Trung", "THPT Cát Bà", "THPT Bạch Đằng", "THPT Mạc Đĩnh Chi", "THPT Cộng Hiền",
    "THPT Nguyễn Trãi", "THPT Tô Hiệu", "THPT Hải An", "THPT Nguyễn Bỉnh Khiêm",
]
CENTRE_NAMES = [
    "Trung tâm GDNN-GDTX quận Lê Chân", "Trung tâm GDNN-GDTX huyện Thủy Nguyên",
    "Trung tâm GDNN-GDTX huyện An Lão", "Trung tâm GDNN-GDTX huyện Vĩnh Bảo",
    "Trung tâm GDTX thành phố", "Trung tâm GDNN-GDTX huyện Tiên Lãng",
]
COMMUNE_NAMES = [
    "UBND phường Hồng Bàng", "UBND phường Lê Chân", "UBND phường Ngô Quyền", "UBND phường Hải An",
    "UBND phường Kiến An", "UBND phường Đồ Sơn", "UBND xã An Dương", "UBND xã An Lão",
    "UBND xã Kiến Thụy", "UBND xã Tiên Lãng", "UBND xã Vĩnh Bảo", "UBND đặc khu Cát Hải",
]
EXTERNAL_UNITS = [
    ("CATP", "Công an thành phố Hải Phòng", "Công an TP", ["Công an thành phố"]),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", ["Sở KHCN"]),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TTTT", []),
    ("NCC", "Đơn vị cung cấp dịch vụ", "Đơn vị cung cấp", ["Nhà cung cấp"]),
]

# Groups are rules over kinds; their other spellings are aliases.
GROUPS = [
    ("CSGD", "Mọi trường học và trung tâm", [KIND_SCHOOL, KIND_CENTRE],
     ["Các đơn vị trực thuộc", "Cơ sở giáo dục", "Các cơ sở giáo dục", "Các CSGD"]),
    ("Các trường", "Mọi trường học", [KIND_SCHOOL], ["Các trường THPT"]),
    ("Các phòng", "Mọi phòng chuyên môn (không gồm Văn phòng)", [KIND_DIVISION],
     ["Phòng chuyên môn", "Các phòng thuộc Sở", "Các phòng chuyên môn"]),
    ("Các đơn vị", "Văn phòng, các phòng, trường học và trung tâm",
     [KIND_OFFICE, KIND_DIVISION, KIND_SCHOOL, KIND_CENTRE], ["Các đơn vị thuộc Sở"]),
    ("UBND xã", "Mọi UBND xã, phường, đặc khu", [KIND_COMMUNE],
     ["UBND các xã, phường, đặc khu", "UBND cấp xã", "UBND các xã, phường"]),
]

# (username, full name, role, unit code); every division gets a head as well.
USERS = [
    ("admin", "Quản trị hệ thống", "admin", "SGDDT"),
    ("giamdoc", "Nguyễn Văn Hải", "director", "SGDDT"),
    ("phogiamdoc", "Trần Thị Thu Hà", "director", "SGDDT"),
    ("vanphong", "Lê Thị Mai", "office", "VP"),
    ("vanphong.chanhvp", "Phạm Quốc Khánh", "unit_head", "VP"),
    ("qlcl.truongphong", "Vũ Đức Minh", "unit_head", "QLCL"),
    ("qlcl.chuyenvien", "Đỗ Thị Hồng Nhung", "unit_staff", "QLCL"),
    ("gdpt.truongphong", "Hoàng Văn Tuấn", "unit_head", "GDPT"),
    ("gdtrh.truongphong", "Bùi Thị Lan", "unit_head", "GDTRH"),
    ("khtc.truongphong", "Đặng Minh Quân", "unit_head", "KHTC"),
    ("tccb.truongphong", "Ngô Thị Thanh", "unit_head", "TCCB"),
    ("tchc.truongphong", "Lý Văn Sơn", "unit_head", "TCHC"),
    ("gdnn.truongphong", "Phan Thị Yến", "unit_head", "GDNN"),
    ("thpt.tranphu.hieutruong", "Trịnh Xuân Bách", "unit_head", "THPT-001"),
    ("thpt.tranphu.canbo", "Mai Thị Ngọc", "unit_staff", "THPT-001"),
    ("thpt.ngoquyen.hieutruong", "Đinh Công Thành", "unit_head", "THPT-002"),
    ("ubnd.hongbang", "Cao Thị Huyền", "unit_head", "XA-001"),
]

# The Phó Giám đốc's area: the units and task groups their dashboard opens on.
DIRECTOR_AREAS = {
    "phogiamdoc": {"units": ["VP", "QLCL"], "groups": ["Hạ tầng số, CSDL", "Quản lý - điều hành"]},
}
