"""Map of the partner cities, their pairs and stories, with a table as the alternative."""

import streamlit as st

from components import frame, map_view
from components.sources import sources_section
from inclucities.content import default_content
from inclucities.mapping import visible_cities

t = frame.page_translator("map")
st.title(t("map.title"))
content = frame.load_or_explain(t, default_content)

st.markdown(t("map.intro"))
filters = map_view.filters_row(content, t)
cities = visible_cities(content, filters)
map_view.interactive_map(content, t, filters)

cited: list[str] = []
chosen = map_view.city_chooser(content, t, cities)
if chosen is not None:
    cited += map_view.pair_story(content, t, chosen)
cited += map_view.cities_table_section(content, t, cities)
cited += map_view.associations_list(content, t)
sources_section(t, cited, caption=t("map.sources_caption"))
