"""Read YAML and remember where every value came from, so problems can say ``file:line``.

PyYAML's ``compose`` gives a node tree with marks; we build plain Python data from it
ourselves (scalars through :class:`yaml.SafeLoader`, so tags behave as in ``safe_load``)
and record a line for each path such as ``("questions", 2, "options", 0, "feedback")``.
Duplicate mapping keys, which ``safe_load`` would silently collapse, are reported.

Bounded, because a content file may come from anyone (a bank mailed by a colleague, a pull
request): a 340-byte "billion laughs" bank made ``safe_load`` take 17-34 s and 1.2 GB, nesting
500 deep raised a RecursionError, and ``!!tag`` on a list or mapping was accepted. So this
reader refuses aliases and anchors outright (no course file needs them: write the text out),
refuses every explicit tag (``!!str``, ``!x``, on scalars, lists and mappings alike), and caps
the file size (:data:`MAX_BYTES`), the nesting depth (:data:`MAX_DEPTH`), the number of values
(:data:`MAX_NODES`) and the length of one text (:data:`MAX_SCALAR_CHARS`). Each refusal is a
:class:`YamlSyntaxError` with the line, checked while composing, so nothing large is ever built.
Every content file (banks, cases, references, course map, selection and diary data) is read
through :func:`read_yaml_file` / :func:`load_yaml_file`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[Any, ...]

# The largest course file is ~55 kB and nests ~8 levels; these limits are far above any real one.
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000
MAX_SCALAR_CHARS = 50_000


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
    block_literals: dict[Path_, int] = field(
        default_factory=dict
    )  # path -> line of first text line
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


class _BoundedLoader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses aliases, anchors and tags and counts depth and nodes."""

    def __init__(self, text: str):
        super().__init__(text)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlSyntaxError(
                line,
                f"not allowed in a course file: the alias *{event.anchor} "
                "(aliases can expand without limit); write the text out in full",
            )
        if event.anchor is not None:
            raise YamlSyntaxError(
                line,
                f"not allowed in a course file: the anchor &{event.anchor}; "
                "write the text out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise YamlSyntaxError(
                line,
                f"not allowed in a course file: the tag {_short_tag(tag)}; remove it "
                "(quote the value if it must stay text)",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlSyntaxError(
                line, f"too many values (over {MAX_NODES:,}); a course file is far smaller"
            )
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_SCALAR_CHARS:
                raise YamlSyntaxError(
                    line,
                    f"a text of {len(event.value):,} characters; the limit is {MAX_SCALAR_CHARS:,}",
                )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_events_fast(text: str) -> bool:
    """Apply every rule of :class:`_BoundedLoader` to libyaml's event stream, when PyYAML has it.

    Why: the pure-Python scanner's cost grows with the square of the flow depth (800 nested
    ``[`` took 2.6 s) and it is ~10x slower than libyaml on a whole bank. The C event stream
    finds an alias, anchor, tag, deep nesting or too many values in milliseconds. Returns True
    when the text passed (so it is safe to build with libyaml), False when libyaml is missing
    or the text is not valid YAML (the pure-Python pass then reports it in its own words).
    """
    parser_class = getattr(yaml, "CSafeLoader", None)
    if parser_class is None:
        return False
    parser = parser_class(text)
    depth = nodes = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if not isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                if isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                continue
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if isinstance(event, yaml.AliasEvent):
                raise YamlSyntaxError(
                    line,
                    f"not allowed in a course file: the alias *{event.anchor} "
                    "(aliases can expand without limit); write the text out in full",
                )
            if event.anchor is not None:
                raise YamlSyntaxError(
                    line,
                    f"not allowed in a course file: the anchor &{event.anchor}; "
                    "write the text out in full",
                )
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise YamlSyntaxError(
                    line,
                    f"not allowed in a course file: the tag {_short_tag(tag)}; "
                    "remove it (quote the value if it must stay text)",
                )
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlSyntaxError(
                    line, f"too many values (over {MAX_NODES:,}); a course file is far smaller"
                )
            if isinstance(event, yaml.ScalarEvent):
                if len(event.value) > MAX_SCALAR_CHARS:
                    raise YamlSyntaxError(
                        line,
                        f"a text of {len(event.value):,} characters; "
                        f"the limit is {MAX_SCALAR_CHARS:,}",
                    )
            else:
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise YamlSyntaxError(
                _mark_line(exc), f"nested more than {MAX_DEPTH} levels deep"
            ) from None
        return False
    finally:
        parser.dispose()
    return True


def read_yaml(text: str) -> YamlDoc:
    """Parse one YAML document, within the limits above. Raises :class:`YamlSyntaxError` only."""
    if len(text) > MAX_BYTES:
        raise YamlSyntaxError(
            None,
            f"{len(text):,} characters is too large for a course file "
            f"(limit {MAX_BYTES:,}); split it",
        )
    _check_events_fast(text)
    try:
        loader = _BoundedLoader(text)  # its reader rejects control characters at once
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(_reader_line(text, exc), _describe(exc)) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(_mark_line(exc), _describe(exc)) from None
        except RecursionError:
            raise YamlSyntaxError(None, "not valid YAML: nested too deeply") from None
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


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: YamlDoc, active: set[int]
) -> Any:
    doc.value_lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in active:
        raise YamlSyntaxError(node.start_mark.line + 1, "not valid YAML: an alias refers to itself")
    if isinstance(node, yaml.ScalarNode):
        if node.style == "|":
            doc.block_literals[path] = node.start_mark.line + 2
        return loader.construct_object(node, deep=True)
    active = active | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, child, path + (i,), doc, active) for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path + ("<key>",), doc, active)
            try:
                hash(key)
            except TypeError:
                raise YamlSyntaxError(
                    key_node.start_mark.line + 1, "not valid YAML: a key must be plain text"
                ) from None
            child = path + (key,)
            if key in out:
                doc.duplicates.append((child, key_node.start_mark.line + 1))
            doc.key_lines[child] = key_node.start_mark.line + 1
            doc.value_lines.pop(child, None)
            out[key] = _build(loader, value_node, child, doc, active)
        return out
    return loader.construct_object(node, deep=True)  # pragma: no cover - no other node kinds


class ContentFileError(ValueError):
    """A content file that cannot be read; ``str()`` is one line ``file:line: message``."""

    def __init__(self, shown: str, line: int | None, message: str):
        super().__init__(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")
        self.shown, self.line, self.message = shown, line, message


def read_text_capped(path: Path | str, shown: str | None = None) -> str:
    """A content file's UTF-8 text, refusing files over :data:`MAX_BYTES` before reading them.

    Raises :class:`ContentFileError` (FileNotFoundError is kept as the cause for callers that care).
    """
    path = Path(path)
    shown = shown or str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise ContentFileError(
                shown, None, f"{size:,} bytes is too large for a course file (limit {MAX_BYTES:,})"
            )
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ContentFileError(shown, None, "file not found") from None
    except IsADirectoryError:
        raise ContentFileError(shown, None, "is a folder, not a file") from None
    except OSError as exc:
        raise ContentFileError(shown, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentFileError(
            shown, None, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None


def read_yaml_file(path: Path | str, shown: str | None = None) -> YamlDoc:
    """:func:`read_yaml` of a file; raises :class:`ContentFileError` naming ``file:line``."""
    shown = shown or str(path)
    text = read_text_capped(path, shown)
    try:
        return read_yaml(text)
    except YamlSyntaxError as exc:
        raise ContentFileError(shown, exc.line, exc.message) from None


def load_yaml_file(path: Path | str, shown: str | None = None) -> Any:
    """The data in a content file, read within the limits; :class:`ContentFileError` otherwise.

    With libyaml the rules are checked on its event stream and the data built by libyaml
    (no alias, anchor or tag can be left by then), ~10x faster than the line-tracking reader.
    """
    shown = shown or str(path)
    text = read_text_capped(path, shown)
    if len(text) > MAX_BYTES:
        raise ContentFileError(
            shown, None, f"{len(text):,} characters is too large for a course file"
        )
    try:
        if _check_events_fast(text):
            return yaml.load(text, Loader=yaml.CSafeLoader)
    except YamlSyntaxError as exc:
        raise ContentFileError(shown, exc.line, exc.message) from None
    except yaml.YAMLError as exc:
        raise ContentFileError(shown, _mark_line(exc), _describe(exc)) from None
    return read_yaml_file(path, shown).data
