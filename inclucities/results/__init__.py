"""Results: the suppressed summary, session comparison, chart builders and the live payload."""
