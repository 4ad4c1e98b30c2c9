"""Recommendations explorer: CEMR's seven recommendations, evidence, filters and policy."""

import streamlit as st

from components import frame
from components.recommendations_view import (
    actor_matrix,
    downloads,
    filtered,
    filters,
    live_ranking,
    policy_section,
    recommendation_cards,
    recs_hero,
)
from components.sources import sources_section
from inclucities.citations import Citations
from inclucities.content import default_content
from inclucities.recommendations import default_policy, default_recommendations

t = frame.page_translator("recommendations")
st.title(t("recommendations.title"))
content = frame.load_or_explain(t, default_content)
recs, policy = frame.load_or_explain(t, lambda: (default_recommendations(), default_policy()))

cites = Citations(content.sources)  # numbered in the order the page shows its facts
with st.container(key="ic_recs"):
    recs_hero(t, recs, content)
    st.header(t("recommendations.list_title"), anchor="recommendations")
    chosen = filters(t, content)
    shown = filtered(recs, chosen)
    st.markdown(t("recommendations.showing", shown=len(shown), count=len(recs)))
    recommendation_cards(t, shown, content, cites)
    actor_matrix(t, shown)
    live_ranking(t, recs)
    policy_section(t, policy, cites)
    downloads(t, shown, content)
    sources_section(t, cites, caption=t("recommendations.sources_caption"))
