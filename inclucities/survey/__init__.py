"""Survey engine: definitions as typed models, loading, validation and steps."""
