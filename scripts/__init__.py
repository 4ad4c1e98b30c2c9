"""Command-line tools of the project; run them as modules from the repository root:
`python -m scripts.loadtest`."""
