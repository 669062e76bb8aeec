"""``ioopt serve``: a planner's workbench in the browser, over :mod:`ioopt.api` and the one
solver session.

A Dash app (Flask underneath; no server of our own): every tab gets a session id kept in
its page (a dcc.Store), and the server keeps one :class:`~ioopt.serve.session.Session` per
id, each with its own built model, HiGHS instance and lock, so two tabs never see each
other's scenario or result. A quota change re-solves in place
(:class:`~ioopt.analyses.whatif.WhatIf`); other changes rebuild. Deeper questions run in
processes of their own (:mod:`ioopt.serve.tasks`). The browser sends numbers, choices and
names of scenario files in the configs folder, and uploaded YAML (checked as ``--scenario``
is) — never a path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ioopt import words
from ioopt.case import Case, load_case

__all__ = ["configs_folder", "create_app", "serve"]


def configs_folder(case: Case, configs: Path | None = None) -> Path | None:
    """The folder of scenario files the page offers: ``configs`` if given, else the case's
    own ``configs/``, else ``configs/`` in the working folder (None when there is none).
    """
    for cand in (configs, case.path / "configs", Path.cwd() / "configs"):
        if cand is not None and Path(cand).is_dir():
            return Path(cand).resolve()
    return None


def create_app(case_dir: str | Path | None = None, configs: Path | None = None,
               keep: int = 8) -> Any:
    """The Dash app for a case (default: the embedded case): a page per tab, sessions on the
    server (at most ``keep``; the least recently used goes).
    """
    from dash import Dash

    from ioopt.serve.callbacks import register
    from ioopt.serve.layout import new_sid, page
    from ioopt.serve.session import Sessions

    case = load_case(case_dir)
    sessions = Sessions(case, configs_folder(case, configs), keep=keep)
    app = Dash(__name__, title=f"ioopt serve: {case.config.name}",
               suppress_callback_exceptions=True, update_title="")

    def layout() -> Any:
        sid = new_sid()
        return page(sessions.get(sid), sid)

    app.layout = layout
    register(app, sessions)
    app.server.config["ioopt_sessions"] = sessions
    return app


def start_message(case: str, host: str, port: int) -> str:
    """What ``ioopt serve`` says when it starts: where, and who can reach it."""
    local = host in ("127.0.0.1", "localhost", "::1")
    where = words.t("serve.local_only") if local else words.t("serve.all_hosts", host=host)
    return words.t("serve.started", case=case, host=host, port=port, where=where)


def serve(case_dir: str | Path | None = None, host: str = "127.0.0.1", port: int = 8050,
          configs: Path | None = None) -> None:
    """Start the workbench and serve until stopped (binds 127.0.0.1 unless told)."""
    app = create_app(case_dir, configs)
    sessions = app.server.config["ioopt_sessions"]
    print(start_message(sessions.base.config.name, host, port), flush=True)
    app.run(host=host, port=port, debug=False, threaded=True)
