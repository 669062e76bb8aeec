"""``ioopt serve``'s server side without a browser: a session's change -> its answer, the
same as ``ioopt solve`` on the saved scenario; forces, infeasibility, bad input, files by
name only, separate sessions, background tasks.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ioopt import api, words
from ioopt.cli import main
from ioopt.errors import InputError
from ioopt.serve import create_app, start_message
from ioopt.serve.answer import answer_views
from ioopt.serve.session import Edits, Session, Sessions
from tests.conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def case():
    return api.load_case(None)


@pytest.fixture(scope="module")
def base(case):
    return api.run(case, ranging=False)


def binding_cut(base, year: int | None = None):
    """A cut of the 2025 (or last) energy-intensity quota below what the base uses: binds."""
    q = base.quotas
    q = q[q["name"] == "energy_intensity"]
    r = q[q["year"] == (year or q["year"].max())].iloc[0]
    return ("energy_intensity", int(r["year"]), None), round(float(r["used"]) * 0.85, 4)


def cli_objective(tmp_path: Path, yaml_text: str) -> float:
    f = tmp_path / "page.yaml"
    f.write_text(yaml_text, encoding="utf-8")
    out = CliRunner().invoke(main, ["solve", "--scenario", str(f), "--out", str(tmp_path / "o"), "--json"])
    assert out.exit_code == 0, out.output
    return float(json.loads(out.output)["objective"])


def test_quota_change_in_place_matches_the_cli(case, base, tmp_path):
    s = Session(case)
    first = s.solve()
    assert first.how == "base" and first.result.solve.objective == pytest.approx(base.solve.objective)
    key, value = binding_cut(base)
    s.set_edits(Edits(quotas={key: value}))
    t0 = time.perf_counter()
    a = s.solve()
    assert time.perf_counter() - t0 < 0.5 * 4  # 0.5 s on a quiet machine (bench measures it)
    assert a.how == "in_place" and a.n_moved == 1
    assert a.result.solve.objective < base.solve.objective - 1e-6
    saved = s.yaml_text()
    assert f"set: {value}" in saved and "energy_intensity" in saved
    assert cli_objective(tmp_path, saved) == pytest.approx(a.result.solve.objective, rel=1e-6)
    v = answer_views(a.result, base, a.how, "en")
    price = v.quotas[(v.quotas["quota"] == "energy intensity") & (v.quotas["year"] == key[1])]
    assert float(price["shadow price"].iloc[0]) > 0  # the cut binds: it has a price
    heads = dict(v.changes)
    prices = heads[words.t("sec.prices_moved")]
    moved = prices[(prices.iloc[:, 0] == "energy intensity") & (prices.iloc[:, 1] == key[1])]
    assert len(moved) == 1 and float(moved.iloc[0, -1]) > 0  # its price rose from 0
    assert words.t("sec.same_portfolio") in heads or words.t("sec.projects_moved") in heads


def test_force_out_rebuilds_and_says_why(case, base, tmp_path):
    s = Session(case)
    s.solve()
    pf = base.portfolio
    j = pf.loc[(pf["status"] == "candidate") & pf["selected"], "project"].iloc[0]
    s.set_edits(Edits(forces={j: "out"}))
    a = s.solve()
    assert a.how == "rebuild" and "projects" in a.why
    assert not bool(a.result.portfolio.set_index("project").at[j, "selected"])
    v = answer_views(a.result, base, a.how, "en")
    # the rejected candidates are rejected.csv's (a forced project is left out), first-order
    from ioopt.analyses.rejected import rejected_reasons

    assert j not in set(v.rejected["project"])
    assert set(v.rejected["project"]) == set(rejected_reasons(a.result)["project"])
    assert all(r.startswith("not chosen") for r in v.rejected["reason"])
    projects = dict(v.changes)[words.t("sec.projects_moved")]
    assert projects.loc[projects.iloc[:, 0] == j].iloc[0].tolist()[-1] == words.t("sec.leaves")
    assert cli_objective(tmp_path, s.yaml_text()) == pytest.approx(a.result.solve.objective, rel=1e-6)
    # the same quota change after a rebuild is in place again (the rebuilt model is the base)
    key, value = binding_cut(base)
    s.set_edits(Edits(quotas={key: value}, forces={j: "out"}))
    assert s.solve().how == "in_place"


def test_switches_and_measure_are_applied_by_rebuild(case, tmp_path):
    s = Session(case)
    s.solve()
    s.set_edits(Edits(settings={"objective": {"measure": "value_added"},
                                "families": {"carbon_intensity": {"mode": "hard"}}}))
    a = s.solve()
    assert a.how == "rebuild" and a.why == "case settings differ"
    assert cli_objective(tmp_path, s.yaml_text()) == pytest.approx(a.result.solve.objective, rel=1e-6)


def test_infeasible_shows_the_smallest_relaxation(case, base):
    s = Session(case)
    s.solve()
    key, _ = binding_cut(base, year=int(base.quotas["year"].min()))
    s.set_edits(Edits(quotas={key: 0.5}))
    a = s.solve()
    assert not a.result.ok
    for lang in ("en", "zh"):
        v = answer_views(a.result, base, a.how, lang)
        assert v.infeasible[0] == words.t("serve.infeasible", lang)
        assert v.infeasible[1:] and a.result.infeasibility.sentences[0] in v.infeasible


def test_bad_upload_gets_the_clis_message(case, tmp_path):
    s = Session(case)
    text = "name: bad\nprojects: [{project: NOPE, force: out}]\n"
    with pytest.raises(InputError) as page:
        s.upload("bad.yaml", text)
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(InputError) as cli:
        api.load(None, f)
    assert [(p.field, p.expected) for p in page.value.problems] == [
        (p.field, p.expected) for p in cli.value.problems]
    with pytest.raises(InputError):
        s.upload("x.yaml", "name: x\ninherits: ../../etc/passwd\n")


def test_scenarios_load_by_name_only(case):
    s = Session(case, ROOT / "configs")
    names = s.config_names()
    assert "energy_minus_10.yaml" in names and all("/" not in n for n in names)
    for bad in ("../pyproject.toml", "/etc/passwd", str(ROOT / "configs" / "energy_minus_10.yaml")):
        with pytest.raises(InputError):
            s.load(bad)
    sc = s.load("energy_minus_10.yaml")
    assert s.case().applied and sc.name
    assert s.solve().result.solve.objective == pytest.approx(
        api.run(api.load(None, ROOT / "configs" / "energy_minus_10.yaml")).solve.objective, rel=1e-6)


def test_sessions_are_separate_and_locked(case, base):
    sessions = Sessions(case, keep=2)
    a, b = sessions.get("tabA"), sessions.get("tabB")
    assert a is not b and sessions.get("tabA") is a
    with pytest.raises(InputError):
        sessions.get("../x")
    key, value = binding_cut(base)
    out: dict[str, float] = {}

    def work(name: str, s: Session, edits: Edits) -> None:
        with s.lock:
            s.set_edits(edits)
            out[name] = float(s.solve().result.solve.objective)

    ts = [threading.Thread(target=work, args=("a", a, Edits(quotas={key: value}))),
          threading.Thread(target=work, args=("b", b, Edits()))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out["b"] == pytest.approx(base.solve.objective)
    assert out["a"] < out["b"] - 1e-6
    sessions.get("tabC")  # a third tab: the least recently used session goes
    assert len(sessions._all) == 2


def test_a_task_runs_in_the_background_and_cancels():
    s = Session(api.load_case(EXAMPLE))
    s.solve()
    from ioopt.serve import tasks

    t = tasks.start("curve", EXAMPLE, s.scenario_file(), s.folder / "curve", s.stamp,
                    {"quota": "energy_total", "start": "-20%", "stop": "0%", "steps": 3})
    deadline = time.monotonic() + 60
    while t.poll() == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert t.state == "done", t.error
    assert len(t.table) == 3 and t.progress() == (3, 3)
    r = tasks.start("rank", EXAMPLE, s.scenario_file(), s.folder / "rank", s.stamp)
    r.cancel()
    assert r.poll() == "cancelled"


def test_app_and_start_message(case):
    app = create_app(None)
    assert app.server.config["ioopt_sessions"].base.config.name == case.config.name
    assert "this machine only" in start_message("x", "127.0.0.1", 8050)
    assert "other machines" in start_message("x", "0.0.0.0", 8050)
    out = CliRunner().invoke(main, ["serve", "--help"])
    assert out.exit_code == 0 and "ioopt serve" in out.output


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), 1e20, "12"])
def test_a_bad_limit_from_the_page_is_named(case, value):
    s = Session(case)
    with pytest.raises(InputError) as exc:
        s.set_edits(Edits(quotas={("energy_intensity", 2025, None): value}))
    assert "energy_intensity 2025" in str(exc.value.problems[0]) and ">= 0" in str(exc.value.problems[0])


def test_the_headline_counts_candidates_only(base):
    # "candidates selected" on the page: selected candidates of all candidates, as the
    # report's card (committed projects are not candidates)
    v = answer_views(base, base, "", "en")
    card = dict(v.headline)[words.t("n_selected")]
    pf = base.portfolio
    cand = pf["status"] == "candidate"
    assert card == f"{int(pf.loc[cand, 'selected'].sum())} / {int(cand.sum())}"


def test_the_quota_fast_path_is_the_scenarios_own(case, base):
    """A page's quota limits give the case ``apply_overrides`` gives for the saved scenario."""
    from ioopt.scenario import apply_overrides

    s = Session(case)
    key, value = binding_cut(base)
    s.set_edits(Edits(quotas={key: value}))
    fast, full = s.case(), apply_overrides(case, s.scenario(), "<page>")
    cols = ["family", "year", "park", "limit", "limit_model", "dimension"]
    assert fast.quotas[cols].equals(full.quotas[cols])
    assert fast.applied == full.applied
    assert words.scenario_change(fast.applied[-1]) != fast.applied[-1]  # a sentence


def test_the_base_answer_is_a_tabs_first_solve_of_the_base(case, base):
    sessions = Sessions(case)
    s = sessions.get("a")
    first = s.solve()
    assert first.how == "base" and first.n_moved == 0
    assert sessions.base_answer(first) is first.result
    key, value = binding_cut(base)
    s.set_edits(Edits(quotas={key: value}))
    a = s.solve()
    assert (a.how, a.n_moved) == ("in_place", 1) and s.whatif is not None
    assert (s.whatif.last_how, s.whatif.last_moved) == ("in_place", 1)
    assert sessions.base_answer(a) is first.result  # kept once made
    other = Sessions(case)
    assert other.base_answer(a) is not a.result  # an edited case is no base
    assert other.base_answer().solve.objective == pytest.approx(first.result.solve.objective)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_names_things_as_the_report_does(case, base, tmp_path, lang):
    from ioopt.render.labels import Labels

    base.write(tmp_path)
    page, report = Labels.from_case(case, lang), Labels.load(tmp_path, lang, base.portfolio)
    assert page.names == report.names and ("park", "nm") in page.names
