"""Translations (babel catalogues)."""
