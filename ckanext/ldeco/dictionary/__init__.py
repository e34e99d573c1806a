"""The extensible data dictionary: concepts with inheritance, code lists, theme packs."""
