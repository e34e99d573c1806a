"""Scheming schemas and dictionary packs: data, not code."""
