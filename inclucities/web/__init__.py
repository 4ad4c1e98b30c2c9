"""HTTP routes served beside the Streamlit UI by `st.App` (plain Starlette, no Streamlit)."""
