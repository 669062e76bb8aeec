"""The one YAML reader of ioopt (case.yaml, scenarios, batch specs): PyYAML's safe loader
that refuses duplicate keys and bounds what aliases expand to.

PyYAML keeps the last of two equal keys silently, so a case.yaml with ``mip_gap`` twice
would solve with whichever came last; and a few hundred bytes of nested aliases (an
"alias bomb") expand to billions of values that validation then walks for minutes.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_VALUES = 100_000
"""Most values (mappings, lists and scalars, aliases expanded) a YAML file may hold."""


class YamlProblem(Exception):
    """A YAML file ioopt will not read: where (1-based line, key) and what was expected."""

    def __init__(self, line: int | None, key: str | None, expected: str) -> None:
        super().__init__(expected)
        self.line, self.key, self.expected = line, key, expected


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # '<<' merges: their keys may be overridden
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise YamlProblem(line, str(key), f"each key once in a mapping (key "
                                      f"'{key}' is already on line {seen[key]})")
                seen[key] = line
            except TypeError:  # an unhashable key: the constructor says so below
                continue
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """Values in ``node`` with every alias expanded (linear time: shared nodes memoised)."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = 1  # a recursive alias counts once
    size = 1
    if isinstance(node, SequenceNode):
        size += sum(_expanded_size(n, memo) for n in node.value)
    elif isinstance(node, MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = min(size, MAX_VALUES + 1)
    return memo[id(node)]


def load_yaml(text: str) -> Any:
    """The document in ``text``; YamlProblem on a duplicate key or too large an expansion,
    yaml.YAMLError on bad syntax.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_VALUES:
            raise YamlProblem(None, None, f"at most {MAX_VALUES:,} values once aliases (*name) "
                              "are expanded; this file's aliases expand to more (an alias "
                              "bomb?): write the values out")
        return loader.construct_document(node)
    finally:
        loader.dispose()
