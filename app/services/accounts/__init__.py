"""Log-in, passwords and personal API tokens."""
