"""Scheduler jobs as plain functions, plus the JOBS registry (run only by `flask scheduler run`)."""
