"""The public's content pages: home, map, process, recommendations and their sources."""
