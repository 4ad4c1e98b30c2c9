"""Mentoring process: the seven stages, a step-through, the 2020-2023 timeline and outputs."""

import streamlit as st

from components import frame
from components.content.process import (
    benchmarks_section,
    current_stage,
    outputs_section,
    page_parts,
    process_hero,
    stage_card,
    stage_controls,
    stage_flow,
    stage_picker,
    timeline_section,
)
from components.content.sources import sources_section
from inclucities.citations import Citations
from inclucities.content import default_content
from inclucities.process import (
    PROCESS_PARTS,
    default_events,
    default_outputs,
    default_stages,
    default_toolkits,
    source_keys,
)

t = frame.page_translator("process")
st.title(t("process.title"))
content = frame.load_or_explain(t, default_content)
stages, events, toolkits, outputs = frame.load_or_explain(
    t, lambda: (default_stages(), default_events(), default_toolkits(), default_outputs())
)

cites = Citations(content.sources)  # numbered in the order the page shows its facts
with st.container(key="ic_process"):
    process_hero(t, stages, content, cites)
    # Stepped for a phone: each part is one tap away (a tab, linked by ?part=), one stage at a
    # time (?stage=N); every part is written out even when closed, so citations keep numbers.
    parts = page_parts("process_part", {p: t(f"process.part.{p}") for p in PROCESS_PARTS})
    with parts["stages"]:
        st.header(t("process.steps_title"), anchor="stages")
        number = current_stage(t)
        stage_flow(t, stages, number)
        stage_picker(t, number)
        stage_card(t, stages[number - 1], events, cites)
        stage_controls(t, number)
    with parts["timeline"]:
        timeline_section(t, events, content, cites)
    with parts["benchmarks"]:
        benchmarks_section(t, toolkits, content, cites)
    with parts["outputs"]:
        outputs_section(t, outputs, cites)
    cites.cite_in_order(source_keys(stages))  # the stage flow shows every stage's title and dates
    sources_section(t, cites, caption=t("process.sources_caption"))
