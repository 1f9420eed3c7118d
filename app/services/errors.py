"""Domain errors carry a message the user can read (Vietnamese)."""


class DomainError(Exception):
    """A rule of the domain refused the action; str(error) is shown to the user."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class ConflictError(DomainError):
    """Someone else changed the object since the form was loaded."""
