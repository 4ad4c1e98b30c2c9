"""IncluCities Live: plain, Streamlit-free logic (content, translation, configuration, builders)."""
