"""Resume parsing: files in, a structured `Resume` out."""
