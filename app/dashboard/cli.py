"""`flask reports`: the documents TDNV writes, from the command line."""
from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Xuất báo cáo (.docx, .xlsx).")
