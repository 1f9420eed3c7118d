"""Command-line groups: `flask users`, `flask demo`, `flask plans`, `flask backup` (wiring to the
services)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.services.errors import DomainError

users_cli = AppGroup("users", help="Quản lý tài khoản người dùng.")
demo_cli = AppGroup("demo", help="Dữ liệu minh hoạ.")


@users_cli.command("create-admin")
@click.option("--username", default="admin", show_default=True)
@click.option("--full-name", default="Quản trị hệ thống", show_default=True)
@click.option("--email", default=None)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(username, full_name, email, password):
    """Create the first administrator of a fresh install (must change the password at first log-in)."""
    from app.services.directory import users
    try:
        user = users.create_first_admin(username=username, full_name=full_name, email=email,
                                            password=password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Đã tạo tài khoản quản trị '{user.username}'.")


@demo_cli.command("seed")
def seed_demo():
    """Create a realistic Sở with units, groups, users and the Hải Phòng plan (never in production)."""
    from app.services.demo import seed as demo
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise click.ClickException("Cấu hình production không cho phép tạo dữ liệu demo.")
    try:
        summary = demo.seed(current_app.config["DEMO_PASSWORD"])
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(summary.report())


@demo_cli.command("generate")
@click.option("--units", default=1700, show_default=True, help="Số đơn vị (gồm Sở, các phòng, trường, xã).")
@click.option("--plans", default=5, show_default=True)
@click.option("--assignments", default=150000, show_default=True, help="Số lượt giao (chủ trì + phối hợp).")
@click.option("--seed", default=1, show_default=True, help="Cùng seed (và cùng ngày) cho cùng dữ liệu.")
def generate_demo(units, plans, assignments, seed):
    """Build a province-sized Sở with bulk inserts, for benchmarks (never in production)."""
    from app.services.demo import generate as province
    from app.views import local_today
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise click.ClickException("Cấu hình production không cho phép tạo dữ liệu demo.")
    try:
        summary = province.generate(units=units, plans=plans, assignments=assignments, seed=seed,
                                    today=local_today(),
                                    password=current_app.config["DEMO_PASSWORD"])
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(summary.report())


def init_app(app):
    from app.backup_cli import backup_cli
    from app.dashboard.cli import reports_cli
    from app.jobs.cli import scheduler_cli
    from app.plans.cli import plans_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(backup_cli)
