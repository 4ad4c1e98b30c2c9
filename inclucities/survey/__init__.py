"""Survey engine: definitions as typed models, validation, the SQL summary layer and charts."""
