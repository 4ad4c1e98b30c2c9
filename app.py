"""IncluCities Live: the frame and router of every page, and the web server around them.

Streamlit runs this file as the script of every page (`__name__ == "__main__"`). When
`streamlit run app.py` starts, it also imports it as a module to find `app`, the `st.App`
that serves the app's own HTTP routes next to the UI.
"""

import streamlit as st

if __name__ == "__main__":
    from components import access, frame, markup
    from components.navigation import build_pages

    frame.mark_frame_ready()
    t = frame.current_translator()
    st.set_page_config(page_title=t("core.app_name"), page_icon="🤝", layout="wide")
    frame.check_settings(t)
    with st.sidebar:
        st.markdown(f"**{t('core.app_name')}**")
        st.markdown(t("core.tagline"))
    page = st.navigation(build_pages(t, staff=access.presenter() is not None))
    markup.apply_stylesheet()
    picker_label = None
    if st.query_params.get("view") != "projector":  # the audience's screen: nothing to pick
        picker_label = frame.language_picker(t, page)
    frame.apply_document_language(t.lang, picker_label)
    page.run()
else:
    from inclucities.settings import SettingsError, get_settings
    from inclucities.web.connections import install_header_timeout
    from inclucities.web.routes import lifespan, middleware, routes

    def _session_count() -> int:
        """Open Streamlit sessions, for /metrics (the logic package does not import Streamlit)."""
        from streamlit.runtime import Runtime

        return int(Runtime.instance()._session_mgr.num_active_sessions())

    try:
        get_settings()
    except SettingsError as exc:
        raise SystemExit(f"IncluCities Live cannot start, a setting is wrong: {exc}") from None
    install_header_timeout()  # uvicorn has none: slow-loris connections are closed
    app = st.App(
        "app.py",
        routes=routes(session_count=_session_count),
        middleware=middleware(),
        lifespan=lifespan,
    )
