"""Every command and subcommand has a help text with an example of itself.

Walks the Click command tree, runs ``--help`` on each command path and checks that the help
has an ``Example:`` block with a line starting ``ioopt <that command path>``.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from ioopt.cli import main


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under a group, the group itself first."""
    paths = [prefix]
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            paths += command_paths(cmd, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


PATHS = command_paths(main)


def example_lines(help_text: str) -> list[str]:
    """The lines of the help's example block (after 'Example:' up to a blank line or the options)."""
    lines = help_text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"\s*Examples?:\s*", line)), None)
    if start is None:
        return []
    out = []
    for line in lines[start + 1:]:
        if not line.strip() or line.strip() == "Options:":
            break
        out.append(line.strip())
    return out


def test_the_tree_has_every_command():
    names = {" ".join(p) for p in PATHS}
    assert {"", "validate", "solve", "rank", "io", "scenario", "scenario show", "batch", "query",
            "compare", "report", "curve", "frontier", "schema"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "ioopt")
def test_help_has_an_example_of_the_command(path: tuple[str, ...]):
    r = CliRunner().invoke(main, [*path, "--help"])
    assert r.exit_code == 0, r.output
    examples = example_lines(r.output)
    assert examples, f"no example block in the help of 'ioopt {' '.join(path)}'"
    command = " ".join(("ioopt", *path))
    assert any(line == command or line.startswith(command + " ") for line in examples), (
        f"no example starting with '{command}' in: {examples}")
