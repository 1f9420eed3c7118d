"""Scheduler jobs as plain functions `job(now, config) -> summary dict`, the JOBS registry
(registry.py), the leader lock (leader.py) and the process (scheduler.py, run only by
`flask scheduler run`)."""
