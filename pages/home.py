"""Home: IncluCities in a few seconds, and a way into every page."""

import streamlit as st

from components import frame, home_view
from components.sources import sources_section
from inclucities.content import default_content

t = frame.page_translator("home")
st.title(t("home.title"))
st.markdown(f"##### {t('home.lead')}")
content = frame.load_or_explain(t, default_content)

home_view.key_figures(t, home_view.project_figures(content))
home_view.what_it_was(t)
home_view.page_cards(t)
sources_section(t, home_view.HOME_SOURCES)
