"""Home: IncluCities in a few seconds, and a way into every page."""

import streamlit as st

from components import frame

t = frame.page_translator("home")
st.title(t("home.title"))
