"""`flask scheduler`: run the scheduler process, run one job, list the jobs."""
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Tiến trình lập lịch: nhắc hạn, cảnh báo, gửi thư.")
