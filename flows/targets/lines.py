"""Where in a targets file a key path is: ``targets.corp.sps.wiki.flwos`` -> line 5.

The loader names places by key path (mapping keys joined with ``.``, list
items as ``[i]``); this module reads the same text as a YAML node tree, which
keeps each node's position, and gives each path the line of its key (or of
the list item). A path the file does not contain (a required key left out)
gets the line of its nearest written parent.
"""

from __future__ import annotations

import yaml

__all__ = ["key_lines", "line_of"]


def key_lines(text: str) -> dict[str, int]:
    """Every key path of ``text`` with its 1-based line; empty when the text is not YAML."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}
    seen: set[int] = set()  # an alias repeats a node: walk it once

    def walk(node: yaml.Node, path: str) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{path}.{key.value}" if path else str(key.value)
                out.setdefault(name, key.start_mark.line + 1)
                walk(value, name)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                name = f"{path}[{i}]"
                out.setdefault(name, item.start_mark.line + 1)
                walk(item, name)

    if root is not None:
        walk(root, "")
    return out


def line_of(lines: dict[str, int], where: str) -> int | None:
    """The line of ``where``, else of its nearest parent in ``lines``; None for the file as a whole."""
    path = where
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
    return None
