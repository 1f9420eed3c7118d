"""The domain layer: plain functions over the session that raise DomainError."""
