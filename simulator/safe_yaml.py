"""Scenario text to plain data within fixed bounds: YAML, and so JSON (a subset of it).

PyYAML's safe loader already refuses tags that build Python objects
(``!!python/object``), but on its own it lets a few lines of aliases stand for a
billion nodes, recurses into RecursionError on deep nesting, keeps the last of two
equal keys, and ends an impossible date (2026-02-30) or a 5,000-digit integer in a
bare ValueError. `load_text` refuses each of these with a `TextError` of one line,
in well under a second and without building anything big:

- text: at most `MAX_TEXT_BYTES`, UTF-8, no NUL or other control characters;
- nesting: at most `MAX_DEPTH` levels (a scenario needs 5);
- size: at most `MAX_NODES` nodes *as expanded*: an alias counts as the whole of
  what it names, so small aliases (a shared price list, a ``<<: *defaults`` merge)
  still work while "billion laughs" is refused at the level that explodes;
  an alias inside its own anchor (a cycle) is refused;
- keys: a key given twice in one mapping is refused, naming it and both lines;
- values the loader cannot convert (a date that does not exist, an integer with
  more digits than Python converts) stay text, so the scenario check refuses them
  naming the key and the entry.

The events come from libyaml when PyYAML has it (fast), else from the pure-Python
parser; the composer that builds nodes from them is PyYAML's, with the limits added.
"""
from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, SequenceNode
from yaml.resolver import Resolver

MAX_TEXT_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 20_000

# NUL and the other control characters but tab and line ends; lone surrogates.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MERGE_TAG = "tag:yaml.org,2002:merge"

try:  # libyaml: tokens and events in C; without it PyYAML's own parser does the same
    from yaml._yaml import CParser as _EventSource
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _EventSource(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class TextError(ValueError):
    """Text that is not a scenario document: one line, naming the line of the text."""


def _line(mark) -> str:
    return f"line {mark.line + 1}" if mark is not None else "somewhere"


def _clean(text: str) -> str:
    return " ".join(str(text).split())


class _BoundedLoader(_EventSource, Composer, SafeConstructor, Resolver):
    """PyYAML's safe loader, with nesting, expansion and duplicate keys bounded."""

    def __init__(self, stream):
        _EventSource.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._values = 0                    # values composed so far, aliases expanded
        self._deepest = 0                   # deepest level reached, through aliases too
        self._weight: dict[int, int] = {}   # node id -> values it stands for, expanded
        self._height: dict[int, int] = {}   # node id -> levels it spans, expanded
        self._paths = [""]                  # where the node being composed sits
        self._mapping_paths: dict[int, str] = {}

    # Composer and libyaml's CParser both define these; the composer's are the ones
    # with the limits, so name them rather than trust the method order.
    check_node = Composer.check_node
    get_node = Composer.get_node
    get_single_node = Composer.get_single_node

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                if id(target) not in self._weight:
                    raise TextError(f"{_line(event.start_mark)}: alias *{event.anchor} "
                                    f"is inside the collection it names")
                self._count(self._weight[id(target)], self._height[id(target)],
                            event.start_mark)
            return Composer.compose_node(self, parent, index)
        self._count(1, 1, event.start_mark)
        if isinstance(event, ScalarEvent):  # most nodes: no path, no size to keep
            node = Composer.compose_node(self, parent, index)
            if event.anchor is not None:
                self._weight[id(node)] = self._height[id(node)] = 1
            return node
        path = self._paths[-1]
        if isinstance(index, int):
            path = f"{path}[{index}]"
        elif index is not None:  # a mapping's value: index is its key's node
            key = _clean(getattr(index, "value", "?"))[:40]
            path = f"{path}.{key}" if path else key
        before, deepest = self._values, self._deepest
        self._paths.append(path)
        self._deepest = len(self._paths)
        try:
            node = Composer.compose_node(self, parent, index)
        finally:
            self._paths.pop()
        if isinstance(node, MappingNode):
            self._mapping_paths[id(node)] = path
        self._weight[id(node)] = self._values - before + 1
        self._height[id(node)] = self._deepest - len(self._paths)
        self._deepest = max(deepest, self._deepest)
        return node

    def _count(self, values: int, levels: int, mark) -> None:
        """Account for `values` more values reaching `levels` below the current one."""
        self._values += values
        if self._values > MAX_NODES:
            raise TextError(f"{_line(mark)}: the document stands for more than "
                            f"{MAX_NODES:,} values (an alias counts as all it repeats)")
        # The path stack holds the root's "" and one entry per open level.
        reached = len(self._paths) + levels
        if reached > self._deepest:
            self._deepest = reached
            if reached - 1 > MAX_DEPTH:
                raise TextError(f"{_line(mark)}: nested more than {MAX_DEPTH} levels deep")

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            return SafeConstructor.construct_mapping(self, node, deep=deep)
        given = [key for key, _ in node.value]  # before "<<" merges join them
        mapping = SafeConstructor.construct_mapping(self, node, deep=deep)
        if len(mapping) != len(given):  # a key given twice, or merged keys: look closer
            self._refuse_duplicate_keys(node, given)
        return mapping

    def _refuse_duplicate_keys(self, node, given) -> None:
        seen = {}
        for key_node in given:
            if key_node.tag == _MERGE_TAG:  # "<<: *defaults" may be overridden
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # unhashable: the constructor says so itself
                continue
            if first is not key_node:
                where = self._mapping_paths.get(id(node), "")
                name = _clean(key)[:40] if isinstance(key, str) else repr(key)[:40]
                raise TextError(
                    f"{where + ': ' if where else ''}{name}: given twice "
                    f"(lines {first.start_mark.line + 1} and {key_node.start_mark.line + 1})")

    def _or_text(self, convert, node):
        """A scalar the loader cannot convert stays text for the scenario check."""
        try:
            return convert(self, node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def construct_yaml_timestamp(self, node):  # 2026-02-30, 0000-01-01
        return self._or_text(SafeConstructor.construct_yaml_timestamp, node)

    def construct_yaml_int(self, node):  # more digits than Python converts
        return self._or_text(SafeConstructor.construct_yaml_int, node)


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               _BoundedLoader.construct_yaml_timestamp)
_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)


def load_text(text: str | bytes) -> object:
    """The document in `text`, or TextError naming what is wrong and where."""
    if isinstance(text, str):
        size = len(text.encode("utf-8", "surrogatepass"))
    else:
        size = len(text)
    if size > MAX_TEXT_BYTES:
        raise TextError(f"longer than {MAX_TEXT_BYTES:,} bytes, the most a scenario may have")
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TextError(f"not UTF-8 text (byte {exc.start + 1})") from None
    text = text.removeprefix("\ufeff")
    bad = _NOT_TEXT.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise TextError(f"line {line}: character {bad.group()!r} is not text (binary data?)")
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except TextError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _clean(exc.problem or exc.context or "")
        raise TextError(f"{_line(mark)}: not valid YAML or JSON" + (problem and f": {problem}")) \
            from None
    except yaml.YAMLError as exc:
        raise TextError(f"not valid YAML or JSON: {_clean(exc)}") from None
    except RecursionError:  # a bound above should come first; never a traceback
        raise TextError(f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
