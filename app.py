"""IncluCities Live: the frame and router. Every page runs inside it."""

import streamlit as st

from components import frame
from components.navigation import build_pages

frame.mark_frame_ready()
t = frame.current_translator()
st.set_page_config(page_title=t("core.app_name"), page_icon="🤝", layout="wide")
with st.sidebar:
    st.markdown(f"**{t('core.app_name')}**")
    st.markdown(t("core.tagline"))
frame.language_picker(t)
page = st.navigation(build_pages(t))
frame.apply_document_language(t.lang)
frame.apply_accessible_styles()
page.run()
