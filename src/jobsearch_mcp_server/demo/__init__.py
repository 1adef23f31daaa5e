"""A local job-board site serving the project's sample answers of every board, for tests, benchmarks and
`jobsearch-mcp demo`."""
