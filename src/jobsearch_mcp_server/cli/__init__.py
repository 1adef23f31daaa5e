"""The command line: every `jobsearch-mcp` command, its tables, and the offline demo."""
