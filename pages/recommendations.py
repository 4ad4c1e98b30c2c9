"""Recommendations explorer: CEMR's seven recommendations, evidence, filters and policy."""

import streamlit as st

from components import frame
from components.content.process import page_parts
from components.content.recommendations import (
    actor_matrix,
    current_rec,
    downloads,
    filtered,
    filters,
    live_ranking,
    policy_section,
    rec_controls,
    rec_picker,
    recommendation_card,
    recs_hero,
)
from components.content.sources import sources_section
from inclucities.citations import Citations
from inclucities.content import default_content
from inclucities.recommendations import RECS_PARTS, default_policy, default_recommendations

t = frame.page_translator("recommendations")
st.title(t("recommendations.title"))
content = frame.load_or_explain(t, default_content)
recs, policy = frame.load_or_explain(t, lambda: (default_recommendations(), default_policy()))

cites = Citations(content.sources)  # numbered in the order the page shows its facts
with st.container(key="ic_recs"):
    recs_hero(t, recs, content)
    # Stepped for a phone: each part is one tap away (a tab, linked by ?part=), one
    # recommendation at a time (?rec=N); closed parts are written out all the same.
    parts = page_parts("recs_part", {p: t(f"recommendations.part.{p}") for p in RECS_PARTS})
    with parts["list"]:
        st.header(t("recommendations.list_title"), anchor="recommendations")
        chosen = filters(t, content)
        shown = filtered(recs, chosen)
        st.markdown(t("recommendations.showing", shown=len(shown), count=len(recs)))
        if shown:
            number = current_rec(t, shown)
            rec_picker(t, shown, number)
            recommendation_card(t, shown, number, content, cites)
            rec_controls(t, shown, number)
        else:
            st.info(t("recommendations.none"))
        downloads(t, shown, content)
    with parts["actors"]:
        actor_matrix(t, shown)
    with parts["ranking"]:
        live_ranking(t, recs)
    with parts["policy"]:
        policy_section(t, policy, cites)
    sources_section(t, cites, caption=t("recommendations.sources_caption"))
