"""A babel extractor for the scheming schemas (schemas/*.yaml): the words
people read on the forms and pages — labels, help texts, placeholders and
choice labels — go into the catalogue with the templates' and code's, since
ckanext-scheming passes each through gettext when it shows it."""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

__all__ = ["extract_schema"]

KEYS = ("label", "help_text", "form_placeholder", "about", "description")


def _walk(node: Any) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if (isinstance(key, yaml.ScalarNode) and key.value in KEYS and isinstance(value, yaml.ScalarNode)
                    and value.value.strip()):
                yield value.start_mark.line + 1, value.value
            else:
                yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)


def extract_schema(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                   options: dict[str, Any]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor interface: (line, function, message, comments)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    for line, text in _walk(root) if root is not None else ():
        yield line, "_", text, []
