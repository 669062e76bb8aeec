"""What the page does: each control's change goes to the tab's server-side session
(keyed by the id in its dcc.Store), which answers; bad input is shown in words, as the CLI
prints it, never a traceback.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from ioopt import words
from ioopt.errors import InputError
from ioopt.serve import tasks
from ioopt.serve.answer import answer_views
from ioopt.serve.layout import answer_blocks, controls, parse_key, table
from ioopt.serve.session import Edits, Session, Sessions

_TASK_WORDS = {"rank": "serve.rank", "curve": "serve.curve", "frontier": "frontier"}


def problems_text(exc: InputError, lang: str) -> str:
    """Every problem of a bad input, as the CLI lists them."""
    return words.problems_text(exc.problems, lang)


def how_text(session: Session, lang: str) -> str:
    """How the last answer was reached (in place, or rebuilt and why)."""
    a = session.answer
    if a is None:
        return ""
    ms = words.num(a.seconds * 1000, 3)
    if a.how == "in_place":
        return words.t("serve.applied_in_place", lang, n=a.n_moved, ms=ms)
    if a.how == "rebuild":
        return words.t("serve.applied_rebuild", lang, why=a.why, ms=ms)
    return words.t("serve.applied_base", lang, ms=ms)


def edits_from(quota_ids: list[dict[str, str]], quota_values: list[Any],
               on_ids: list[dict[str, str]], on_values: list[list[str]],
               mode_values: list[str], force_in: list[str] | None, force_out: list[str] | None,
               measure: str, renewables: str, flags: list[str], session: Session) -> Edits:
    """The page's controls as edits to the session's loaded case."""
    quotas = {parse_key(i["key"]): v for i, v in zip(quota_ids, quota_values, strict=True)
              if v is not None}
    cfg = session.loaded_case.config
    fams: dict[str, dict[str, Any]] = {}
    for i, on, mode in zip(on_ids, on_values, mode_values, strict=True):
        f = i["key"]
        s = cfg.families.get(f)
        if s is None:
            continue
        change: dict[str, Any] = {}
        if ("on" in (on or [])) != s.enabled:
            change["enabled"] = "on" in (on or [])
        if mode and mode != s.mode.value:
            change["mode"] = mode
        if change:
            fams[f] = change
    settings: dict[str, Any] = {}
    if fams:
        settings["families"] = fams
    if measure and measure != cfg.objective.measure.value:
        settings["objective"] = {"measure": measure}
    acc: dict[str, Any] = {}
    if renewables and renewables != cfg.accounting.renewables:
        acc["renewables"] = renewables
    for k in ("exclude_renewable_electricity", "exclude_feedstock"):
        if (k in (flags or [])) != getattr(cfg.accounting, k):
            acc[k] = k in (flags or [])
    if acc:
        settings["accounting"] = acc
    p = session.loaded_case.projects
    out_set, in_set = set(force_out or []), set(force_in or [])
    forces = {str(j): ("out" if j in out_set else "in" if j in in_set else None)
              for j in p.loc[p["status"] != "existing", "project"]}
    return Edits(quotas=quotas, forces=forces, settings=settings)


def register(app: Dash, sessions: Sessions) -> None:
    """Wire the page's callbacks to the server's sessions."""

    @app.callback(Output("controls", "children"), Output("message", "children"),
                  Input("load-btn", "n_clicks"), Input("upload", "contents"),
                  Input("reset-btn", "n_clicks"), Input("lang", "value"),
                  State("config-name", "value"), State("upload", "filename"), State("sid", "data"),
                  prevent_initial_call=True)
    def on_scenario(_load: Any, contents: str | None, _reset: Any, lang: str, name: str | None,
                    filename: str | None, sid: str) -> tuple[Any, Any]:
        s = sessions.get(sid)
        msg: Any = ""
        with s.lock:
            try:
                if ctx.triggered_id == "load-btn" and name:
                    sc = s.load(name)
                    msg = html.Span(words.t("serve.loaded", lang, name=sc.name), style={"color": "#067647"})
                elif ctx.triggered_id == "upload" and contents:
                    sc = s.upload(filename or "upload.yaml", _decode(contents))
                    msg = html.Span(words.t("serve.loaded", lang, name=sc.name), style={"color": "#067647"})
                elif ctx.triggered_id == "reset-btn":
                    s.reset()
            except InputError as exc:
                msg = problems_text(exc, lang)
            return controls(s, lang), msg

    @app.callback(Output("answer", "children"),
                  Input({"type": "quota", "key": ALL}, "value"),
                  Input({"type": "fam-on", "key": ALL}, "value"),
                  Input({"type": "fam-mode", "key": ALL}, "value"),
                  Input("force-in", "value"), Input("force-out", "value"), Input("measure", "value"),
                  Input("renewables", "value"), Input("acc-flags", "value"), Input("lang", "value"),
                  Input("rank-ready", "data"),
                  State({"type": "quota", "key": ALL}, "id"), State({"type": "fam-on", "key": ALL}, "id"),
                  State("sid", "data"))
    def on_change(qv: list[Any], on_v: list[Any], mode_v: list[Any], fin: Any, fout: Any,
                  measure: str, renewables: str, flags: list[str], lang: str, _ready: Any,
                  q_ids: list[dict[str, str]], on_ids: list[dict[str, str]], sid: str) -> Any:
        s = sessions.get(sid)
        with s.lock:
            try:
                s.set_edits(edits_from(q_ids, qv, on_ids, on_v, mode_v, fin, fout, measure,
                                       renewables, flags, s))
                if s.answer is None or s.answer.scenario != s.scenario():
                    s.solve()
            except InputError as exc:
                return html.Pre(problems_text(exc, lang), id="bad-input", style={"color": "#b42318"})
            assert s.answer is not None
            base = sessions.base_answer(s.answer)
            rk = s.task.table if (s.task is not None and s.task.kind == "rank" and s.task.state == "done"
                                  and s.task.stamp == s.answer.stamp) else None
            v = answer_views(s.answer.result, base, s.answer.how, lang, ranking=rk)
            return answer_blocks(v, how_text(s, lang), lang)

    @app.callback(Output("task-out", "children"), Output("tick", "disabled"),
                  Output("rank-ready", "data"),
                  Input("rank-btn", "n_clicks"), Input("curve-btn", "n_clicks"),
                  Input("frontier-btn", "n_clicks"), Input("cancel-btn", "n_clicks"),
                  Input("tick", "n_intervals"),
                  State("curve-quota", "value"), State("curve-from", "value"),
                  State("curve-to", "value"), State("curve-steps", "value"), State("lang", "value"),
                  State("sid", "data"), prevent_initial_call=True)
    def on_task(_r: Any, _c: Any, _f: Any, _x: Any, _n: Any, quota: str, start: str, stop: str,
                steps: Any, lang: str, sid: str) -> tuple[Any, bool, Any]:
        s = sessions.get(sid)
        trig = ctx.triggered_id
        with s.lock:
            if trig in ("rank-btn", "curve-btn", "frontier-btn"):
                if s.task is not None:
                    s.task.cancel()
                if s.answer is None:
                    return no_update, True, no_update
                kind = str(trig).removesuffix("-btn")
                n = s.stamp
                params = ({"quota": quota, "start": start, "stop": stop, "steps": steps or 5}
                          if kind == "curve" else {"steps": steps or 5} if kind == "frontier" else {})
                params["lang"] = lang
                s.task = tasks.start(kind, s.base.path, s.scenario_file(), s.folder / f"{kind}-{n}",
                                     n, params)
            elif trig == "cancel-btn" and s.task is not None:
                s.task.cancel()
            task = s.task
            if task is None:
                return no_update, True, no_update
            state = task.poll()
            return (_task_view(task, s, lang), state != "running",
                    task.stamp if (state == "done" and task.kind == "rank") else no_update)

    @app.callback(Output("download", "data"),
                  Output("message", "children", allow_duplicate=True), Input("save-btn", "n_clicks"),
                  Input("html-btn", "n_clicks"), Input("xlsx-btn", "n_clicks"),
                  State("lang", "value"), State("sid", "data"), prevent_initial_call=True)
    def on_download(_s: Any, _h: Any, _x: Any, lang: str, sid: str) -> Any:
        s = sessions.get(sid)
        with s.lock:
            if ctx.triggered_id == "save-btn":
                name = "".join(c for c in s.loaded.name if c.isalnum() or c in "_-") or "scenario"
                return dcc.send_string(s.yaml_text(), f"{name}.yaml"), ""
            if s.answer is None or not s.answer.result.ok:
                return no_update, words.t("serve.no_answer", lang)
            fmt = "html" if ctx.triggered_id == "html-btn" else "xlsx"
            return dcc.send_file(str(report_file(s, fmt, lang))), ""


def report_file(s: Session, fmt: str, lang: str) -> Any:
    """The report of the session's answer (written into its folder) in ``fmt``."""
    from ioopt import api

    assert s.answer is not None
    run = s.folder / "run"
    s.answer.result.write(run)
    files = api.report(run, fmt=fmt, lang=lang, out=run, static=False)
    return files.html if fmt == "html" else files.xlsx


def _task_view(task: tasks.Task, s: Session, lang: str) -> Any:
    name = words.t(_TASK_WORDS[task.kind], lang)
    secs = words.num(task.seconds, 2)
    stale = "" if s.answer is None or task.stamp == s.answer.stamp else " " + words.t("serve.task_stale", lang)
    if task.state == "running":
        pr = task.progress()
        progress = "" if pr is None else words.t("serve.task_progress", lang, done=pr[0], total=pr[1])
        return html.Div(words.t("serve.task_running", lang, task=name, s=secs, progress=progress),
                        id="task-status")
    if task.state == "failed":
        return html.Pre(words.t("serve.task_failed", lang, task=name, error=task.error), id="task-status")
    if task.state == "cancelled":
        return html.Div(words.t("serve.task_cancelled", lang, task=name), id="task-status")
    frame = task.table
    return html.Div([html.Div(words.t("serve.task_done", lang, task=name, s=secs) + stale, id="task-status"),
                     table(frame if frame is not None else None, id_="task-table")])  # type: ignore[arg-type]


def _decode(contents: str) -> str:
    """The text of an uploaded file (a data: URL); bad bytes are an input error."""
    try:
        return base64.b64decode(contents.split(",", 1)[1]).decode("utf-8")
    except (IndexError, binascii.Error, UnicodeDecodeError) as exc:
        from ioopt.errors import Problem

        raise InputError([Problem("<upload>", None, None, None,
                                  f"a UTF-8 YAML scenario file ({exc})")]) from None
