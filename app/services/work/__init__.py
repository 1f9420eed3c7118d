"""The assignment workflow: updates, sign-off, extensions, check-ins, comments and evidence."""
