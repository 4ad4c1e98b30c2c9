"""Live results of a survey, refreshed by itself, with small groups suppressed."""

from components import frame
from components.results.view import results_page

results_page(frame.page_translator("results"))
