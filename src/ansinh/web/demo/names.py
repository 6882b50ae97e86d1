"""Word lists for invented Vietnamese people, weighted roughly like the real population.

Own lists rather than Faker's vi_VN provider: a person's given and middle names must match their sex
(the personal ID number encodes it), and drawing from plain lists with one seeded `random.Random` is
both reproducible and fast enough for millions of rows.
"""

# Family names with their approximate share of the population (per cent).
SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.4),
    ("Trần", 12.1),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.1),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trịnh", 0.5),
    ("Đoàn", 0.5),
    ("Lâm", 0.4),
    ("Mai", 0.4),
    ("Trương", 0.5),
    ("Cao", 0.3),
    ("Lương", 0.3),
    ("Tạ", 0.2),
    ("Hà", 0.3),
    ("Chu", 0.2),
    ("Kiều", 0.1),
]

# Middle names: "Văn" and "Thị" still dominate, above all in the rural provinces that send most workers.
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 45),
    ("Đức", 8),
    ("Minh", 8),
    ("Hữu", 6),
    ("Quốc", 5),
    ("Công", 5),
    ("Thanh", 4),
    ("Xuân", 3),
    ("Quang", 4),
    ("Trọng", 3),
    ("Đình", 4),
    ("Tiến", 2),
    ("Gia", 2),
    ("Ngọc", 1),
]
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 50),
    ("Ngọc", 7),
    ("Thu", 6),
    ("Thanh", 5),
    ("Minh", 4),
    ("Kim", 4),
    ("Hồng", 4),
    ("Thúy", 3),
    ("Phương", 3),
    ("Bảo", 2),
    ("Diệu", 2),
    ("Hoài", 2),
    ("Khánh", 2),
    ("Quỳnh", 2),
]

GIVEN_MALE = [
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
    "Khánh", "Khoa", "Lâm", "Long", "Lợi", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
    "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
    "Vinh", "Vũ", "Hậu", "Kiên", "Lực",
]  # fmt: skip
GIVEN_FEMALE = [
    "An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huyền",
    "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Vy",
    "Yến", "Lý", "Xuân",
]  # fmt: skip

# Mobile prefixes (after the leading 0) of Viettel, VinaPhone, MobiFone, Vietnamobile and Gmobile.
# Only prefixes whose whole 7-digit range `phonenumbers` accepts (089, 052 and 099 are only partly
# allocated), because the register is bulk-inserted without the services' phone check.
MOBILE_PREFIXES = [
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98",
    "81", "82", "83", "84", "85", "88", "91", "94",
    "70", "76", "77", "78", "79", "90", "93",
    "56", "58", "92", "59",
]  # fmt: skip

STREETS = [
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
    "Phan Đình Phùng", "Nguyễn Du", "Lê Duẩn", "Hùng Vương", "Trần Phú", "Nguyễn Văn Cừ",
    "Lê Hồng Phong", "Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Thị Minh Khai",
]  # fmt: skip

# Rural address units; most workers who go abroad come from villages ("thôn", "xóm").
HAMLETS = ["Thôn", "Xóm", "Khối", "Tổ dân phố"]

# Words for demo passwords: easy to type and to read out, no diacritics.
PASSWORD_WORDS = [
    "Sen", "Lua", "Tre", "Mai", "Dao", "Song", "Nui", "Bien", "Trang", "Sao", "Gio", "Hoa", "Lan",
    "Cau", "Thuyen", "Que", "Dong", "Ruong", "Cang", "Mekong", "Hong", "Lam", "Xanh", "Vang",
]  # fmt: skip
