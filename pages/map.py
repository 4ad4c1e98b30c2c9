"""Map."""
import streamlit as st

from components import frame

t = frame.page_translator("map")
st.title(t("map.title"))
