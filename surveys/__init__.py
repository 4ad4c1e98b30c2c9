"""Survey engine: definitions as data, validation, DuckDB storage and the SQL summary layer."""
