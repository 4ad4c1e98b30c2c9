"""Presenter mode: a projector screen with the join QR code, live results, ideas wall and slides."""

from components import frame, presenter_view

t = frame.page_translator("presenter")
presenter_view.render(t)
