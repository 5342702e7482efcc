"""Importers: existing minutes (.txt, .md, .docx) -> protocol drafts, with a report of the spots a secretary should review."""
