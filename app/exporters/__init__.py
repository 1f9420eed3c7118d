"""Exporters: data to .docx/.xlsx bytes, pure (no Flask)."""
