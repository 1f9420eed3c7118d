"""WSGI entry point: `gunicorn wsgi:app`. Never starts the scheduler (see `flask scheduler run`)."""
from app import create_app

app = create_app()
