"""Home: IncluCities in a few seconds, one call to act, and a way into every page."""

import streamlit as st

from components import frame
from components.content import home as home_view
from components.content.sources import sources_section
from inclucities.citations import Citations
from inclucities.content import default_content
from inclucities.process import default_stages

t = frame.page_translator("home")
content = frame.load_or_explain(t, default_content)
stages = frame.load_or_explain(t, default_stages)
cites = Citations(content.sources)

with st.container(key="home_top"):
    lead_col, teaser_col = st.columns([3, 2], vertical_alignment="center")
    with lead_col:
        st.title(t("home.title"))
        home_view.lead(t, cites)
        home_view.call_to_act(t)
    with teaser_col:
        home_view.method_teaser(t, stages)

home_view.ways_in(t)
home_view.key_figures(t, home_view.project_figures(content))
home_view.what_it_was(t, cites)
home_view.page_cards(t)
sources_section(t, cites)
