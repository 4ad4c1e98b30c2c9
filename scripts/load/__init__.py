"""The load harness (issue 9): browser-like Streamlit sessions, respondents, viewers, figures.

`scripts/loadtest.py` runs it from the command line; `tests/test_loadtest.py` runs a short
version in the suite. See docs/capacity.md for the method.
"""
