"""Live screens: the JSON pushed to results and presenter screens, and the hub that pushes it."""
