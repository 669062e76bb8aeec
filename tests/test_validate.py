"""`ioopt validate`: one test per class of bad input, each with the promised message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ioopt.cli import main


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(case: Path):
    return CliRunner().invoke(main, ["validate", str(case)])


def test_valid_case_prints_counts(example_copy):
    r = _validate(example_copy)
    assert r.exit_code == 0, r.output
    assert "11 sectors, 20 projects, 3 parks, 5 years" in r.output


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        pytest.param("projects.csv", "foil_2,Battery foil line,电池箔,al_foil",
                     "foil_2,Battery foil line,电池箔,al_sheet",
                     ["projects.csv line", "field 'sector'", "'al_sheet'",
                      "a sector defined in sectors.csv"], id="unknown-sector"),
        pytest.param("projects.csv", "candidate,30,,,2022,1,35", "candidate,-30,,,2022,1,35",
                     ["projects.csv line 15", "field 'capacity_10k'", "-30", ">= 0"],
                     id="negative-capacity"),
        pytest.param("sectors.csv", "19600,0.18", "19600x,0.18",
                     ["sectors.csv line 4", "field 'price_cny'", "a number"],
                     id="non-numeric"),
        pytest.param("parks.csv", "park,name,name_zh,area,source", "park,name,name_zh,area",
                     ["parks.csv line 1", "field 'source'", "required"], id="missing-column"),
        pytest.param("projects.csv", "recycled_2,Recycled", "recycled_1,Recycled",
                     ["projects.csv line 17", "field 'project'", "recycled_1",
                      "unique project (already on line 16)"], id="duplicate-id"),
        pytest.param("quotas.csv", "energy_total,2025,", "energy_total,2030,",
                     ["quotas.csv line 6", "field 'year'", "2030", "horizon 2021-2025"],
                     id="year-outside-horizon"),
        pytest.param("dependencies.csv", "stainless_2,jingan_stainless,",
                     "stainless_2,jingan_stainless,x\njingan_stainless,stainless_2,",
                     ["dependencies.csv", "field 'requires'", "jingan_stainless -> stainless_2",
                      "no dependency cycle"], id="dependency-cycle"),
        pytest.param("coefficients.csv", "npi,stainless,0.9", "stainless,npi,1.5,x\nnpi,stainless,0.9",
                     ["coefficients.csv", "spectral radius", "can never balance"],
                     id="spectral-radius"),
        pytest.param("quotas.csv", "land,,naiman,13000,mu", "land,,naiman,13000,tce",
                     ["quotas.csv line 13", "field 'unit'", "a unit of land"], id="wrong-unit"),
        pytest.param("projects.csv", "committed,80,,2024", "committed,80,,",
                     ["projects.csv line 11", "field 'online_year'", "committed"],
                     id="committed-without-year"),
    ],
)
def test_bad_input_is_reported_with_file_line_field(example_copy, file, old, new, expect):
    _edit(example_copy / file, old, new)
    r = _validate(example_copy)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    for piece in expect:
        assert piece in r.output, f"{piece!r} missing from:\n{r.output}"


def test_every_problem_is_reported_not_only_the_first(example_copy):
    _edit(example_copy / "projects.csv", "candidate,30,,,2022,1,35", "candidate,-30,,,2022,1,35")
    _edit(example_copy / "sectors.csv", "19600,0.18", "abc,0.18")
    _edit(example_copy / "projects.csv", "recycled_2,Recycled", "recycled_1,Recycled")
    r = _validate(example_copy)
    assert r.exit_code == 2
    assert "3 problems" in r.output
    assert "capacity_10k" in r.output and "price_cny" in r.output and "unique project" in r.output


def test_missing_required_file_and_bad_yaml(example_copy):
    (example_copy / "parks.csv").unlink()
    (example_copy / "case.yaml").write_text("name: x\nyears: [2021, 2023]\nbase_year: 2020\n")
    r = _validate(example_copy)
    assert r.exit_code == 2
    assert "parks.csv: expected this file in the case folder" in r.output
    assert "case.yaml" in r.output and "consecutive" in r.output


def test_missing_case_folder_is_an_input_error(tmp_path):
    r = _validate(tmp_path / "nope")
    assert r.exit_code == 2
    assert "an existing case folder" in r.output
