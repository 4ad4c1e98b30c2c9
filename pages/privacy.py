"""Privacy notice for survey respondents."""

from components import frame
from components.survey.privacy import privacy_page

privacy_page(frame.page_translator("privacy"))
