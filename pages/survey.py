"""Have your say: the resident survey (or any survey chosen by `?survey=`), in nine languages."""

from components import frame
from components.survey.form import survey_page

survey_page(frame.page_translator("survey"))
