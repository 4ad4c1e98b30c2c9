"""Helpers the scripts share with the tests: start the app, drive it in Chromium, a throwaway
PostgreSQL server, valid survey answers."""
