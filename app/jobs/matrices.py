"""Job `build_matrices`: the nightly tasks × units matrix of every active plan, as dated snapshots."""
from datetime import datetime

from app.services.clock import today_local
from app.services.plans.matrices import snapshot_active_plans


def build_matrices(now: datetime, config) -> dict:
    return snapshot_active_plans(
        today_local(config["TIMEZONE"], now), upload_folder=config["UPLOAD_FOLDER"],
        keep=int(config.get("MATRIX_SNAPSHOTS_KEEP", 30)),
    )
