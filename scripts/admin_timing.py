"""Time every admin action on a filled database, the way a click runs it: the whole admin page
script under Streamlit's AppTest, in this process (used by scripts/benchmark.py)."""

from __future__ import annotations

import logging
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark admin password"


def _timed(results: dict[str, list[float]], name: str, action: Callable[[], object]) -> None:
    start = time.perf_counter()
    action()
    results.setdefault(name, []).append((time.perf_counter() - start) * 1000)


def time_actions(url: str | None, path: Path, survey_id: str, repeats: int) -> dict[str, float]:
    """Median milliseconds per admin action (sign-in, each section, paging, a removal...)."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare-mode notices, not results
    from components.admin import view as admin_view
    from inclucities import runtime

    saved = {k: os.environ.get(k) for k in ("INCLUCITIES_DATABASE_URL", "INCLUCITIES_DB_PATH")}
    os.environ["INCLUCITIES_DB_PATH"] = str(path)
    os.environ["INCLUCITIES_ADMIN_PASSWORD"] = PASSWORD
    if url:
        os.environ["INCLUCITIES_DATABASE_URL"] = url
    else:
        os.environ.pop("INCLUCITIES_DATABASE_URL", None)
    results: dict[str, list[float]] = {}
    try:
        for _ in range(repeats):
            admin_view._memory_failure_log.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.query_params["lang"] = "en"
            at.run()
            at.switch_page("pages/admin.py")
            at.run()
            at.text_input(key="admin_pw").input(PASSWORD)
            _timed(results, "sign in (status section)", lambda at=at: at.button[0].click().run())
            _timed(
                results,
                "pick the survey",
                lambda at=at: at.selectbox(key="admin_survey").set_value(survey_id).run(),
            )
            for section in ("moderation", "export", "data", "audit", "status"):
                _timed(
                    results,
                    f"open {section}",
                    lambda at=at, s=section: (
                        at.segmented_control(key="admin_section").set_value(s).run()
                    ),
                )
            at.segmented_control(key="admin_section").set_value("data").run()
            _timed(
                results,
                "data: next page",
                lambda at=at: at.button(key="admin_live_page_next").click().run(),
            )
            page = _page_ids(survey_id)
            at.multiselect(key="admin_remove_pick").set_value(page[:1]).run()
            at.button(key="admin_remove").click().run()
            _timed(
                results,
                "data: remove one answer",
                lambda at=at: at.button(key="admin_confirm_yes").click().run(),
            )
            at.segmented_control(key="admin_section").set_value("moderation").run()
            approve = next(b for b in at.button if str(b.key).startswith("approve_"))
            _timed(results, "moderation: approve one idea", lambda b=approve: b.click().run())
            _timed(
                results,
                "moderation: next page",
                lambda at=at: at.button(key="admin_mod_page_pending_next").click().run(),
            )
            assert not at.exception, at.exception
    finally:
        runtime.reset()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {name: statistics.median(times) for name, times in results.items()}


def _page_ids(survey_id: str) -> list[str]:
    """Submission ids on the data section's second page (the multiselect's values)."""
    from components.store_access import get_store

    frame = get_store().responses_page(survey_id, offset=50, limit=50, deleted=False)
    return [str(s) for s in frame["submission_id"]]
