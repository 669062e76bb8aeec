"""The README as a planner reads it: every scenario block marked ``readme-scenario`` runs
on the default case as it stands (``ioopt solve --scenario``), the glossary has both
languages, the documents it links exist, and the summary names the case folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ioopt.cli import main
from ioopt.scenario import Scenario
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MARK = "<!-- readme-scenario -->"


def scenario_blocks() -> list[str]:
    """The YAML blocks right after a readme-scenario marker."""
    return [part.split("```yaml\n", 1)[1].split("```", 1)[0]
            for part in README.split(MARK)[1:]]


def test_readme_has_scenario_examples() -> None:
    blocks = scenario_blocks()
    assert len(blocks) >= 4
    for text in blocks:
        sc = Scenario.model_validate(yaml.safe_load(text))  # a scenario, nothing unknown
        assert sc.inherits is None, "an example must not inherit a file that is not there"


@pytest.mark.parametrize("index", range(len(scenario_blocks())))
def test_readme_scenario_runs_on_the_default_case(index: int, tmp_path: Path) -> None:
    text = scenario_blocks()[index]
    name = yaml.safe_load(text)["name"]
    file = tmp_path / f"{name}.yaml"
    file.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["solve", "--scenario", str(file), "--out",
                                    str(tmp_path / "out"), "--no-against-base"])
    assert res.exit_code == 0, res.output
    assert "status: optimal" in res.output
    # the header names the scenario and the case folder (the case-resolution rule)
    assert f"case folder: {ROOT / 'data' / 'tongliao'}" in res.output


def test_glossary_in_both_languages() -> None:
    glossary = README.split("## Glossary")[1].split("\n## ")[0]
    for zh, en in (("能耗双控", "dual control of energy"), ("用地指标", "land quota"),
                   ("影子价格", "shadow price"), ("单位工业增加值能耗", "per unit of industrial value added"),
                   ("绿电", "green power"), ("用能权", "energy-use rights")):
        row = next((ln for ln in glossary.splitlines() if ln.startswith(f"| {zh} |")), "")
        assert en in row, (zh, row)


def test_linked_documents_exist() -> None:
    links = set(re.findall(r"\]\(((?:docs|models)/[^)#]+)\)", README))
    assert {"docs/performance.md", "docs/development.md", "docs/report-solve.png"} <= links
    for link in links:
        assert (ROOT / link).is_file(), link
    assert (ROOT / "docs" / "report-solve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (ROOT / "docs" / "report-solve.png").stat().st_size < 300_000  # small
    assert "## Where things live" not in README and "## Where things live" in (
        ROOT / "docs" / "development.md").read_text(encoding="utf-8")


def test_case_resolution_rule_is_stated() -> None:
    first_hour = README.split("## A planner's first hour")[1].split("\n## ")[0]
    assert "--case DIR" in first_hour and "data/tongliao" in first_hour
    assert "case folder:" in first_hour
