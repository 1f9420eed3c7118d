"""The one registry of scheduler jobs: ids, functions and triggers (read by `flask scheduler`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.jobs.checkins import periodic_checkins
from app.jobs.cleanup import sweep_stale
from app.jobs.followup import overdue_followup
from app.jobs.mail import send_mail
from app.jobs.matrices import build_matrices
from app.jobs.reminders import deadline_reminders


@dataclass(frozen=True)
class JobSpec:
    """A job: `func(now, config) -> summary dict`, and when it runs (in the Sở's time zone)."""

    id: str
    func: Callable[[datetime, object], dict]
    description: str
    trigger: str  # "cron" or "interval"
    trigger_args: dict = field(default_factory=dict)
    # daily jobs: when the scheduler starts after today's fire time, run once at start (idempotent)
    catch_up: bool = False

    def make_trigger(self, timezone):
        if self.trigger == "cron":
            return CronTrigger(timezone=timezone, **self.trigger_args)
        return IntervalTrigger(timezone=timezone, **self.trigger_args)


JOBS: tuple[JobSpec, ...] = (
    JobSpec("periodic_checkins", periodic_checkins, "Mở kỳ báo cáo định kỳ (thường xuyên, tháng, quý, năm)",
            "cron", {"hour": 6, "minute": 30}, catch_up=True),
    JobSpec("deadline_reminders", deadline_reminders, "Nhắc hạn trước 7, 3, 1 ngày và ngày đến hạn",
            "cron", {"hour": 7, "minute": 0}, catch_up=True),
    JobSpec("overdue_followup", overdue_followup, "Tổng hợp quá hạn theo đơn vị, báo cáo lãnh đạo",
            "cron", {"hour": 7, "minute": 30}, catch_up=True),
    JobSpec("build_matrices", build_matrices, "Lập ma trận phân công (.xlsx, .docx) các kế hoạch",
            "cron", {"hour": 1, "minute": 30}, catch_up=True),
    JobSpec("sweep_stale", sweep_stale, "Xoá tệp nhập chờ quá một ngày, phiên hết hạn, lượt đăng nhập cũ",
            "cron", {"hour": 2, "minute": 15}, catch_up=True),
    JobSpec("send_mail", send_mail, "Gộp thông báo thành thư và gửi hộp thư đi",
            "interval", {"minutes": 1}),
)
JOB_IDS = tuple(job.id for job in JOBS)


def get_job(job_id: str, jobs=JOBS) -> JobSpec:
    for job in jobs:
        if job.id == job_id:
            return job
    raise KeyError(job_id)
