"""Privacy notice for survey respondents."""

from components import frame
from components.privacy_view import privacy_page

privacy_page(frame.page_translator("privacy"))
