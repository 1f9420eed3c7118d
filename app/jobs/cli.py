"""`flask scheduler`: run the scheduler process, run one job, list the jobs."""
import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from app.formatting import vn_datetime
from app.jobs.registry import JOB_IDS, JOBS

scheduler_cli = AppGroup("scheduler", help="Tiến trình lập lịch: nhắc hạn, cảnh báo, gửi thư.")


def parse_now(text: str | None, timezone: str) -> datetime:
    """--now as ISO date or datetime; without an offset it is local (Asia/Ho_Chi_Minh) time."""
    tz = ZoneInfo(timezone)
    if not text:
        return datetime.now(tz)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            "dùng dạng ISO, ví dụ 2025-12-24T07:00 hoặc 2025-12-24", param_hint="--now"
        ) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@scheduler_cli.command("run")
def run_command():
    """Run the scheduler (one process; a second one waits as standby and takes over)."""
    from app.jobs.scheduler import run_scheduler

    _configure_logging()
    run_scheduler(current_app._get_current_object())


@scheduler_cli.command("run-job")
@click.argument("job_id", type=click.Choice(JOB_IDS))
@click.option("--now", "now_text", default=None, help="Đồng hồ giả lập, ISO (mặc định: bây giờ).")
def run_job_command(job_id, now_text):
    """Run one job once now (or at --now), outside the schedule; safe next to a running scheduler."""
    from app.jobs.scheduler import execute

    timezone = current_app.config["TIMEZONE"]
    now = parse_now(now_text, timezone)
    try:
        summary = execute(current_app._get_current_object(), job_id, now, raise_errors=True)
    except Exception as error:
        raise click.ClickException(f"{job_id} lỗi: {type(error).__name__}: {error}") from error
    click.echo(
        f"{job_id} ({vn_datetime(now, timezone)}): {json.dumps(summary, ensure_ascii=False, default=str)}"
    )


@scheduler_cli.command("list")
@click.option("--now", "now_text", default=None, help="Tính lần chạy kế tiếp từ thời điểm này.")
def list_command(now_text):
    """The jobs of the registry with their schedule and next run."""
    timezone = current_app.config["TIMEZONE"]
    now = parse_now(now_text, timezone)
    click.echo(f"Múi giờ {timezone}; bây giờ {vn_datetime(now, timezone)}")
    for spec in JOBS:
        next_run = spec.make_trigger(ZoneInfo(timezone)).get_next_fire_time(None, now)
        when = vn_datetime(next_run, timezone) or "—"
        rule = ", ".join(f"{k}={v}" for k, v in spec.trigger_args.items())
        click.echo(f"{spec.id:<20} {when:<17} {spec.trigger}({rule})  {spec.description}")
    from app.services.notify.mail import outbox_counts

    counts = outbox_counts()
    click.echo("Hộp thư đi: " + ", ".join(f"{status} {counts.get(status, 0)}"
                                         for status in ("pending", "sending", "sent", "failed")))
