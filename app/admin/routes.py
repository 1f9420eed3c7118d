"""Admin views (being written)."""
from flask import abort

from app.admin import bp
from app.permissions import MANAGE_DIRECTORY, permission_required


@bp.route("/units")
@permission_required(MANAGE_DIRECTORY)
def units():
    abort(404)


@bp.route("/users")
@permission_required(MANAGE_DIRECTORY)
def users():
    abort(404)


@bp.route("/import")
@permission_required(MANAGE_DIRECTORY)
def import_directory():
    abort(404)
