"""Presenter mode: a projector screen with the join QR code, live results, ideas wall and slides."""

from components import frame
from components.presenter import view as presenter_view

t = frame.page_translator("presenter")
presenter_view.render(t)
