"""The one error the importers raise: a file that cannot be read, with a message for the user."""

MSG_EMPTY = "Tệp rỗng: không có nội dung để nhập."
MSG_TOO_LARGE = "Tệp quá lớn ({size:.1f} MB): giới hạn là {limit} MB."
MSG_BAD_DOCX = "Tệp không phải là .docx hợp lệ (có thể bị hỏng hoặc bị cắt)."
MSG_BAD_XLSX = "Tệp không phải là .xlsx hợp lệ (có thể bị hỏng hoặc bị cắt)."
MSG_BAD_ZIP = "Tệp nén không hợp lệ (có thể bị hỏng hoặc bị cắt): hãy tải lên tệp .docx, .xlsx hoặc .csv."
MSG_ZIP_BOMB = "Tệp có dung lượng giải nén bất thường (quá lớn so với kích thước tệp), không thể đọc an toàn."
MSG_DOC = (
    ".doc (Word 97-2003) chưa đọc được: hãy mở tệp trong Word và chọn "
    "Lưu thành… > Word Document (.docx)."
)
MSG_XLS = (
    ".xls (Excel 97-2003) chưa đọc được: hãy mở tệp trong Excel và chọn "
    "Lưu thành… > Excel Workbook (.xlsx)."
)
MSG_PDF = (
    "PDF chưa được hỗ trợ: hãy mở văn bản gốc trong Word và lưu thành .docx "
    "(hoặc chép bảng sang Excel và lưu thành .xlsx), rồi tải lên lại."
)
MSG_BAD_PDF = "Tệp không phải là .pdf hợp lệ (có thể bị hỏng, bị cắt hoặc được đặt mật khẩu)."
MSG_PDF_NO_TEXT = (
    "Tệp PDF không có lớp chữ (có thể là bản quét thành ảnh) nên không đọc được nội dung: hãy tải lên "
    "văn bản gốc (.docx) hoặc bản PDF xuất trực tiếp từ Word."
)
MSG_PDF_PAGE_NO_TEXT = (
    "Trang {page} của tệp PDF chỉ có ảnh, không có lớp chữ: nội dung trang này không được đọc."
)
MSG_ODF = "Tệp OpenDocument (.odt, .ods) chưa được hỗ trợ: hãy lưu thành .docx hoặc .xlsx rồi tải lên lại."
MSG_RTF = "Tệp .rtf chưa được hỗ trợ: hãy mở tệp trong Word và chọn Lưu thành… > Word Document (.docx)."
MSG_UNKNOWN = "Không nhận ra định dạng tệp: hãy tải lên tệp .docx, .xlsx hoặc .csv."
MSG_CSV_ENCODING = "Tệp .csv phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành… > CSV UTF-8)."
MSG_NO_TABLE = (
    "Không tìm thấy bảng nhiệm vụ trong tệp: cần một bảng có cột Nội dung "
    "và cột Thời gian hoặc Đơn vị chủ trì."
)
MSG_NO_ROWS = "Bảng nhiệm vụ trong tệp không có dòng nhiệm vụ nào."
MSG_TOO_BIG_TABLE = "Bảng trong tệp quá lớn để nhập (quá {limit} dòng)."


class ImportFileError(Exception):
    """A file the importer refuses; `message` is one line of Vietnamese for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
