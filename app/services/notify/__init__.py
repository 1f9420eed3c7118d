"""In-app notifications, the e-mail outbox, deadline reminders and overdue digests."""
