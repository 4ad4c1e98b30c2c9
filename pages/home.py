"""Home: IncluCities in a few seconds, and a way into every page."""

import streamlit as st

from components import frame, home_view
from components.sources import cite_markdown, sources_section
from inclucities.citations import Citations
from inclucities.content import default_content

t = frame.page_translator("home")
st.title(t("home.title"))
content = frame.load_or_explain(t, default_content)
cites = Citations(content.sources)
st.markdown(f"##### {t('home.lead')} {cite_markdown(cites, home_view.LEAD_SOURCES)}")

home_view.key_figures(t, home_view.project_figures(content))
home_view.what_it_was(t, cites)
home_view.page_cards(t)
sources_section(t, cites)
