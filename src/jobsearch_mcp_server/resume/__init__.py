"""Resume parsing: files in, a structured `Resume` out.

`services.resumes.ResumeService` is what the MCP tools and the CLI use (allowed folders, storage, the reader
process); `heuristics.parse_resume_text` parses clean text.
"""
