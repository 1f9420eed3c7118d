"""The unit and user directory as the administrator manages it, and its Excel import."""
