"""Tables derived for the reports, shared by the HTML page and the workbook: the summary
record, the headline figures and the plan's targets met or missed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ioopt import __version__, words
from ioopt.batch import store
from ioopt.conclusions import row_words, verdict
from ioopt.render.batch_charts import grid_family
from ioopt.render.charts import TARGET_FAMILIES, YUAN, last_year, ranking_values
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.localise import decisive, localise

KIND_TITLES = {"solve": "report", "rank": "rank_report", "batch": "batch_report",
               "curve": "curve_report", "frontier": "frontier_report"}


def _written(run: RunFolder) -> str:
    when = store.written_at(run.path)
    return "" if when is None else dt.datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M")


def summary_rows(run: RunFolder, L: Labels) -> list[tuple[str, str]]:
    """What the report states first: case, scenario, versions, solver status and gap, the
    objective, the scenario's changes (as sentences), date.
    """
    s = run.summary
    case = L.name("case", s.get("case", ""))
    rows = [(L.t("case"), f"{case} ({s.get('case', '')})" if case != s.get("case") else case)]
    if run.kind in ("solve", "rank"):
        rows.append((L.t("scenario"), str(s.get("scenario") or L.t("base_case"))))
        status = words.status(s.get("status"), L.lang)
        if s.get("message") and L.lang == "en":
            status += f" ({s['message']})"
        rows.append((L.t("status"), status))
        rows.append((L.t("gap"), words.gap(s.get("mip_gap"), L.lang)))
        if s.get("objective") is not None:
            unit = words.unit(str(s.get("objective_unit", "")), L.lang)
            name = s.get("objective_name_zh" if L.zh else "objective_name") or s.get(
                "objective_name", "")
            rows.append((L.t("objective"), f"{words.num(s['objective'], 6)} {unit} ({name})"))
        changes = s.get("scenario_changes") or []
    else:
        sc = run.table("scenario")
        counts = sc["status"].value_counts().to_dict() if len(sc) else {}
        sep = "，" if L.zh else ", "
        rows.append((L.t("scenarios"), f"{len(sc)} (" + sep.join(
            f"{words.value(k, L.lang)} {v}" for k, v in counts.items()) + ")"))
        rows.append((L.t("batch"), _batch_words(run, L)))
        if len(sc) and sc["mip_gap"].notna().any():
            rows.append((L.t("gap"), f"≤ {words.gap(float(sc['mip_gap'].max()), L.lang)}"))
        changes = s.get("base_changes") or []
    for ch in changes:
        rows.append((L.t("changes"), words.scenario_change(ch, L.lang)))
    rows.append((L.t("version"), L.t("report_version", version=s.get("ioopt_version", "?"),
                                     current=__version__)))
    written = _written(run)
    rows.append((L.t("date"), dt.date.today().isoformat()
                 + (f" ({L.t('results_written', when=written)})" if written else "")))
    return rows


def _batch_words(run: RunFolder, L: Labels) -> str:
    """What a batch is: a curve or frontier in words (of its quota family), a batch by the
    name and description its file gives.
    """
    s = run.summary
    if run.kind in ("curve", "frontier"):
        return f"{L.t(run.kind)}: {L.family(grid_family(run))}"
    return f"{s.get('batch', '')} {s.get('description', '') or ''}".strip()


def frontier_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """The frontier table for people: x named by its quota family, y as the objective."""
    fr = run.table("frontier").drop(columns=["portfolio"], errors="ignore")
    if fr.empty:
        return fr
    out = words_view(fr, L)
    return out.rename(columns={L.column("x"): L.family(grid_family(run)),
                               L.column("y"): L.t("objective"),
                               L.column("y_per_x"): f"{L.t('objective')}/{L.family(grid_family(run))}"})


def headline(run: RunFolder, L: Labels) -> list[tuple[str, str]]:
    """The last year's headline figures: output, value added, energy, CO2, water, and the
    candidates selected (of the case's candidates; committed projects are not choices).
    """
    tot, year = run.table("totals"), last_year(run)
    if tot.empty or year is None:
        return []
    r = tot[tot["year"] == year].iloc[0]
    first = tot.iloc[0]
    out = []
    for key, col in HEADLINE:
        unit = words.column_unit(col, L.lang)[1]
        growth = ""
        if first[col] and len(tot) > 1:
            growth = f" ({int(first['year'])}: {words.num(first[col])})"
        out.append((f"{L.t(key)} {year}", f"{words.num(r[col])} {unit}{growth}"))
    s = run.summary
    if s.get("n_candidates") is not None:
        out.append((L.t("n_selected"), f"{s.get('n_selected', 0)} / {s['n_candidates']}"))
    return out


HEADLINE = (("gross_output", "gross_output_100m_cny"), ("value_added", "value_added_100m_cny"),
            ("energy", "energy_10k_tce"), ("co2", "co2_10k_t"), ("water", "water_10k_m3"))
"""The headline cards: word key and totals column (the last year's value)."""


def targets_table(run: RunFolder, L: Labels) -> pd.DataFrame:
    """The plan's targets and caps (rules rows) in the years they are set: target, achieved,
    verdict.
    """
    q = run.table("quotas")
    if q.empty:
        return pd.DataFrame()
    t = q[q["name"].isin(TARGET_FAMILIES)]
    recs: list[dict[str, Any]] = []
    for r in t.to_dict("records"):
        floor = str(r["sense"]) == ">="
        gap = (r["limit"] - r["used"]) if floor else (r["used"] - r["limit"])
        if gap <= 1e-6 * max(1.0, abs(r["limit"])):
            verdict = L.t("met" if floor else "within")
        else:
            verdict = f"{L.t('short_by' if floor else 'over_by')} {words.num(gap)}"
        scope = str(r["scope"])
        name = L.chain(scope) if r["name"] == "sector_value_floor" else L.name("sector", scope)
        unit = words.unit(r["unit"], L.lang)
        mark = f" ({L.t('indicator')})" if r.get("mode") == "report" else ""
        recs.append({L.t("target"): f"{L.family(r['name'])}: {name}{mark}",
                     L.t("year"): int(r["year"]) if pd.notna(r["year"]) else "",
                     L.t("limit"): r["limit"], L.t("achieved"): r["used"],
                     L.t("unit"): unit, L.t("verdict"): verdict})
    return pd.DataFrame.from_records(recs)


def _basis(q: pd.DataFrame, L: Labels) -> list[str]:
    col = q["basis"] if "basis" in q else pd.Series(["estimate"] * len(q), index=q.index)
    return [L.t(f"basis_{b}") if isinstance(b, str) and b else L.t("basis_estimate")
            for b in col]


def quota_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """The quota rows (targets and indicators excluded), binding ones first, with readable
    names, units in words and what each limit rests on; a missing price reads 'n/a' with
    the mark of its note (:func:`quota_notes`).
    """
    q = _quota_rows(run)
    if q.empty:
        return pd.DataFrame()
    park = [L.name("park", p) if isinstance(p, str) and p else L.t("city") for p in q["park"]]
    notes = _notes(q)
    marks = [words.mark(notes.index(n) + 1) if n else "" for n in _note_col(q)]
    price: list[object] = [f"{L.t('na')}{m}" if m else v
                           for v, m in zip(q["shadow_price"], marks, strict=True)]
    return pd.DataFrame({
        L.t("quota"): [L.family(n) for n in q["name"]],
        L.t("year"): [int(y) if pd.notna(y) else L.t("all_years") for y in q["year"]],
        L.t("park"): park,
        L.t("limit"): q["limit"], L.t("used"): q["used"],
        L.t("unit"): [words.unit(u, L.lang) for u in q["unit"]],
        L.t("binding"): q["binding"].astype(bool),
        L.t("shadow_price"): price,
        L.t("price_unit"): [words.unit(u, L.lang) for u in q["shadow_price_unit"]],
        L.t("basis"): _basis(q, L),
        L.t("note"): marks,
    })


def quota_notes(run: RunFolder, L: Labels) -> list[str]:
    """The notes of the quota table, each with its mark: '¹ n/a: no decision enters ...'."""
    return [f"{words.mark(i)} {L.t('na')}: {words.note(n, L.lang)}"
            for i, n in enumerate(_notes(_quota_rows(run)), start=1)]


def _quota_rows(run: RunFolder) -> pd.DataFrame:
    q = run.table("quotas")
    if q.empty:
        return q
    q = q[~q["name"].isin(TARGET_FAMILIES) & ~_indicator(q)].copy()
    # binding rows and soft rows past their limit first
    q["_first"] = q["binding"].astype(bool) | (q.get("violation", 0) > 1e-9)
    return q.sort_values(["_first", "name", "year"], ascending=[False, True, True],
                         kind="stable").drop(columns=["_first"])


def _note_col(q: pd.DataFrame) -> list[str]:
    col = q["price_note"] if "price_note" in q else pd.Series("", index=q.index)
    return [n if isinstance(n, str) else "" for n in col]


def _notes(q: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(n for n in _note_col(q) if n)) if len(q) else []


def _indicator(q: pd.DataFrame) -> pd.Series:
    return (q["mode"] == "report") if "mode" in q else pd.Series(False, index=q.index)


def indicator_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """The quota rows that are indicators (mode report): the plan's figure, the portfolio's
    value and the verdict in the family's sense; they constrain nothing. (Rule rows that
    are indicators are in the targets table, marked.)
    """
    q = run.table("quotas")
    if q.empty:
        return pd.DataFrame()
    q = q[_indicator(q) & ~q["name"].isin(TARGET_FAMILIES)]
    parks = {p: L.name("park", p) for p in q["park"].dropna()}
    return pd.DataFrame({
        L.t("indicator"): [row_words(r, parks, L.lang, year=False) for r in q.to_dict("records")],
        L.t("year"): [int(y) if pd.notna(y) else L.t("all_years") for y in q["year"]],
        L.t("target"): [f"{s} {words.num(v)}" for s, v in zip(q["sense"], q["limit"], strict=True)],
        L.t("achieved"): q["used"], L.t("unit"): [words.unit(u, L.lang) for u in q["unit"]],
        L.t("verdict"): [verdict(str(s), float(lim), float(u), L.lang) for s, lim, u
                         in zip(q["sense"], q["limit"], q["used"], strict=True)],
        L.t("basis"): _basis(q, L),
    })


def estimate_sentences(run: RunFolder, L: Labels) -> list[str]:
    """The conclusions that rest on estimates (summary.json's ``rests_on_estimates``)."""
    key = "sentence" if L.lang == "en" else f"sentence_{L.lang}"
    return [str(e.get(key) or e.get("sentence", "")) for e in
            run.summary.get("rests_on_estimates") or []]


def ranking_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """The ranking with the decisive-constraint sentence, value signed as in the chart."""
    rk = run.table("ranking")
    if rk.empty:
        return pd.DataFrame()
    value, _ = ranking_values(rk)
    out = pd.DataFrame({
        L.t("rank"): rk["rank"], L.t("project"): rk["project"],
        L.t("name"): [L.name("project", j) for j in rk["project"]],
        L.t("state"): [words.value(s, L.lang) for s in rk["status"]],
        L.t("selected"): rk["selected"].astype(bool),
        f"{L.t('value')} ({YUAN})": value,
        L.t("decisive"): [decisive(v, L.lang) for v in rk.get(
            "decisive_constraint", pd.Series("", index=rk.index))],
        L.t("reason"): localise(rk[[c for c in ("reason", "reason_zh") if c in rk]], L)["reason"],
    })
    if "robustness" in rk and rk["robustness"].notna().any():
        out[L.t("robustness")] = rk["robustness"]
        for col in ("loss_mean", "loss_worst", "robust_rank"):
            out[L.t(col)] = rk[col]
    return out


def scenario_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """One row per scenario of a batch: parameters, status, objective, indicators (values
    and headers in ``L``'s language).
    """
    sc = run.table("scenario")
    if sc.empty:
        return sc
    drop = [c for c in ("hash", "kind", "error", "selected", "changes", "message") if c in sc]
    return words_view(sc.drop(columns=drop), L)


def words_view(frame: pd.DataFrame, L: Labels) -> pd.DataFrame:
    """A result table for people: values in words (:func:`localise`), headers with units."""
    out = localise(frame, L)
    return out.rename(columns={c: L.column(str(c)) for c in out.columns})


def rank_rule(run: RunFolder, L: Labels) -> str:
    """The rank rule and notes in ``L``'s language (ranking_rule_zh.txt in Chinese)."""
    if L.zh:
        path = run.path / store.RULE_ZH
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return run.rule
