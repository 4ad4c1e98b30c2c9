"""Map of the partner cities, their pairs and stories, with a table as the alternative."""

import streamlit as st

from components import frame
from components.content import map as map_view
from components.content.sources import sources_section
from inclucities.citations import Citations
from inclucities.content import default_content
from inclucities.mapping import visible_cities

t = frame.page_translator("map")
st.title(t("map.title"))
content = frame.load_or_explain(t, default_content)

st.markdown(t("map.intro"))
map_slot = st.container()  # the map first, its folded filters under it (a phone sees the map)
filters = map_view.filters_row(content, t)
cities = visible_cities(content, filters)
cites = Citations()  # one numbering for the page: popups, story, tables and the list below
with map_slot:
    map_view.interactive_map(content, t, filters, cites)

chosen = map_view.city_chooser(content, t, cities)
if chosen is not None:
    map_view.pair_story(content, t, chosen, cites)
map_view.cities_table_section(content, t, cities, cites)
map_view.associations_list(content, t, cites)
sources_section(t, cites, caption=t("map.sources_caption"))
