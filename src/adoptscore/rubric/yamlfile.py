"""Reading YAML files (rubrics, mapping files) with bounded work, and their errors located.

A YAML file is small, hand-written configuration, so anything far beyond that is refused before it
costs time or memory, with the file, line and column where the limit was crossed:

* the file's size (:data:`MAX_BYTES`; a larger file is not read at all);
* nesting depth (:data:`MAX_DEPTH` levels: composing a node recurses once per level);
* aliases (:data:`MAX_ALIASES`), an alias to the node it is inside (a cycle, which no rubric
  needs), and what aliases expand to: every alias stands for a whole copy of its anchor's subtree,
  so a few lines of nested anchors ("billion laughs") stand for 10^9 nodes. The expanded size is
  counted while composing, from the size of each anchored node, so a bomb is refused after a few
  of its lines, before anything is expanded.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from adoptscore.errors import AdoptscoreError

#: Largest YAML file read: the bundled rubrics are 7-18 KB.
MAX_BYTES = 2 * 1024 * 1024
#: Deepest nesting of mappings and sequences: a rubric is about 8 levels deep.
MAX_DEPTH = 64
#: Most aliases (``*name``) in one file.
MAX_ALIASES = 256
#: Aliases may make the document at most this many times larger than it is written, plus
#: :data:`EXPANSION_ALLOWANCE` nodes (a small file sharing a block of bands a few dozen times).
MAX_EXPANSION = 10
EXPANSION_ALLOWANCE = 10_000


_FLATTEN = "a rubric needs about 8 levels; flatten the structure"


class _Limit(MarkedYAMLError):
    """A limit crossed while composing, with how to fix it."""

    def __init__(self, problem: str, mark: Any, hint: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class _BoundedScanner(YAML(typ="rt").Scanner):  # type: ignore[misc, name-defined]
    """ruamel's round-trip scanner, refusing deep flow nesting (``[[[[...``) as it meets it: it looks
    ahead up to 1,024 characters for a possible key at every level, which costs seconds at 1,000."""

    def fetch_flow_collection_start(self, *args: Any, **kwargs: Any) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise _Limit(f"the YAML is nested more than {MAX_DEPTH} levels deep", self.reader.get_mark(),
                         _FLATTEN)
        super().fetch_flow_collection_start(*args, **kwargs)


class _BoundedComposer(Composer):
    """ruamel's composer, counting depth, aliases and the expanded size as it goes."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._level = 0
        self._aliases = 0
        self._composed = 0
        self._expanded = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes its subtree expands to (nodes live as long as we do)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:  # an undefined alias is ruamel's own error
                self._count_alias(target, event.start_mark)
            return super().compose_node(parent, index)
        self._level += 1
        if self._level > MAX_DEPTH:
            raise _Limit(f"the YAML is nested more than {MAX_DEPTH} levels deep", self.parser.peek_event().start_mark,
                         _FLATTEN)
        node = super().compose_node(parent, index)
        self._level -= 1
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, SequenceNode):
            children = node.value
        else:
            children = []
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        self._composed += 1
        self._expanded += 1
        return node

    def _count_alias(self, target: Any, mark: Any) -> None:
        size = self._sizes.get(id(target))
        if size is None:
            raise _Limit(f"alias *{target.anchor} refers to a node it is inside (a cycle)", mark,
                         "an alias may only repeat a node that is complete before it")
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise _Limit(f"more than {MAX_ALIASES} aliases (*name)", mark, "write the repeated parts out, or share fewer")
        self._expanded += size
        if self._expanded > MAX_EXPANSION * self._composed + EXPANSION_ALLOWANCE:
            raise _Limit(f"the aliases expand the document to more than {self._expanded:,} nodes, "
                         f"from {self._composed:,} written (nested anchors multiply)", mark,
                         "do not nest aliases of aliases; write the repeated parts out")


def read_yaml_text(path: Path, what: str, error: type[AdoptscoreError], *, missing_hint: str = "check the path") -> str:
    """The text of the YAML file ``path`` (a ``what``: "rubric file"), at most :data:`MAX_BYTES` bytes."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise error(f"{what} not found", file=str(path), hint=missing_hint) from None
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror or exc}", file=str(path)) from None
    if len(data) > MAX_BYTES:
        raise error(f"the {what} is larger than {MAX_BYTES // (1024 * 1024)} MB", file=str(path),
                    hint=f"a {what} is a small hand-written file; check that this is the right file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column(data, exc.start)
        raise error(f"the {what} is not UTF-8 text: {exc.reason} (byte 0x{data[exc.start]:02x})", file=str(path),
                    line=line, column=column, hint="save it as UTF-8") from None


def _line_column(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    newline = "\n" if isinstance(text, str) else b"\n"
    start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return text.count(newline, 0, offset) + 1, offset - start + 1  # type: ignore[arg-type]


def load_yaml(text: str, filename: str, what: str, error: type[AdoptscoreError]) -> Any:
    """The round-trip document (line and column on every node) of YAML ``text``, within the limits above.

    Raises ``error`` located at the problem; ``what`` names the file in messages ("rubric").
    """
    if len(text) > MAX_BYTES:
        raise error(f"the {what} is larger than {MAX_BYTES // (1024 * 1024)} MB", file=filename,
                    hint=f"a {what} is a small hand-written file; check that this is the right file")
    yaml = YAML(typ="rt")
    yaml.Scanner = _BoundedScanner
    yaml.Composer = _BoundedComposer
    try:
        return yaml.load(io.StringIO(text))
    except _Limit as exc:
        mark = exc.problem_mark
        raise error(str(exc.problem), file=filename, line=mark.line + 1, column=mark.column + 1,
                    hint=exc.hint) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = ""
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            context = f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
        raise error(f"YAML syntax error: {exc.problem or exc.context}{context}", file=filename,
                    line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                    hint="check indentation, colons and quotes on that line") from None
    except ReaderError as exc:  # a control character (a binary file): where it is, in one line
        line, column = _line_column(text, exc.position)
        raise error(f"the {what} holds a character YAML does not allow ({_code(exc.character)}): is it a text file?",
                    file=filename, line=line, column=column, hint=f"the {what} is YAML text; check it is the right file") from None
    except YAMLError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise error(f"YAML error: {first}", file=filename) from None


def _code(character: Any) -> str:
    if isinstance(character, str) and len(character) == 1:
        character = ord(character)
    return f"#x{character:04x}" if isinstance(character, int) else repr(character)
