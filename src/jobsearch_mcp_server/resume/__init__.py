"""Resume parsing: files in, a structured `Resume` out.

`service.ResumeService` is what the MCP tools use (allowed folders, storage); `service.parse_resume_file`
parses a file the user names on the command line; `heuristics.parse_resume_text` parses clean text.
"""
