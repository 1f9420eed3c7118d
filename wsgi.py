"""WSGI entry point: `gunicorn wsgi:app`. Never starts the scheduler (see `flask scheduler run`).

A server defaults to the production configuration (which refuses a default SECRET_KEY);
`python dev.py serve` sets TDNV_CONFIG=development explicitly.
"""
import os

from app import create_app

app = create_app(os.environ.get("TDNV_CONFIG", "production"))
