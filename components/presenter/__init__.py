"""The presenter's stage: sign-in, controls, sessions, slides and the projector view."""
