"""The survey form drawn and checked in the phone: its markup, its texts, the answers route.

One implementation serves two hosts: the light join page (`inclucities.web.form`, no Streamlit
front end, no websocket) and the Streamlit survey page (mounted as a component). Both render
`form.html.j2` from the survey definition and run `static/form/survey-form.js`; answers reach
the server through one JSON route only (`inclucities.form.submission`).
"""
