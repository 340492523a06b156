"""Read YAML and remember where every value came from, so problems can say ``file:line``.

PyYAML's ``compose`` gives a node tree with marks; we build plain Python data from it
ourselves (scalars through :class:`yaml.SafeLoader`, so tags behave as in ``safe_load``)
and record a line for each path such as ``("questions", 2, "options", 0, "feedback")``.
Duplicate mapping keys, which ``safe_load`` would silently collapse, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[Any, ...]


class YamlSyntaxError(ValueError):
    """The text is not YAML we can read; ``line`` is 1-based or None."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDoc:
    data: Any
    value_lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)
    block_literals: dict[Path_, int] = field(default_factory=dict)  # path -> line of first text line
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)

    def line(self, path: Path_) -> int | None:
        """Line of the key naming ``path`` (or its value), else of the nearest enclosing node."""
        path = tuple(path)
        while True:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.value_lines:
                return self.value_lines[path]
            if not path:
                return None
            path = path[:-1]

    def text_line(self, path: Path_, offset_in_value: int, value: str) -> int | None:
        """Line of a character inside a string value (exact for ``|`` blocks)."""
        path = tuple(path)
        if path in self.block_literals:
            return self.block_literals[path] + value.count("\n", 0, offset_in_value)
        return self.value_lines.get(path, self.line(path))


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _reader_line(text: str, exc: yaml.YAMLError) -> int | None:
    position = getattr(exc, "position", None)
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else None


def _describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.reader.ReaderError):
        return f"not valid YAML: character U+{exc.character:04X} is not allowed; delete it or retype the line"
    if problem:
        text = problem if not context else f"{problem} ({context})"
    else:
        text = str(exc).splitlines()[0]
    hint = ""
    if "mapping values are not allowed" in text:
        hint = "; a text containing ': ' must be quoted or written as a | block"
    elif "found character '\\t'" in text:
        hint = "; indent with spaces, not tabs"
    return f"not valid YAML: {text}{hint}"


def read_yaml(text: str) -> YamlDoc:
    """Parse one YAML document. Raises :class:`YamlSyntaxError` (never a bare YAMLError)."""
    try:
        loader = yaml.SafeLoader(text)  # its reader rejects control characters at once
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(_reader_line(text, exc), _describe(exc)) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(_mark_line(exc), _describe(exc)) from None
        doc = YamlDoc(data=None)
        if node is None:
            return doc
        try:
            doc.data = _build(loader, node, (), doc, set())
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(_mark_line(exc), _describe(exc)) from None
        except RecursionError:
            raise YamlSyntaxError(None, "not valid YAML: nested too deeply") from None
        return doc
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: YamlDoc, active: set[int]) -> Any:
    doc.value_lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in active:
        raise YamlSyntaxError(node.start_mark.line + 1, "not valid YAML: an alias refers to itself")
    if isinstance(node, yaml.ScalarNode):
        if node.style == "|":
            doc.block_literals[path] = node.start_mark.line + 2
        return loader.construct_object(node, deep=True)
    active = active | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, path + (i,), doc, active) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path + ("<key>",), doc, active)
            try:
                hash(key)
            except TypeError:
                raise YamlSyntaxError(key_node.start_mark.line + 1,
                                      "not valid YAML: a key must be plain text") from None
            child = path + (key,)
            if key in out:
                doc.duplicates.append((child, key_node.start_mark.line + 1))
            doc.key_lines[child] = key_node.start_mark.line + 1
            doc.value_lines.pop(child, None)
            out[key] = _build(loader, value_node, child, doc, active)
        return out
    return loader.construct_object(node, deep=True)  # pragma: no cover - no other node kinds
