"""A local job-board site serving saved real pages, for tests, benchmarks and `jobsearch-mcp demo`."""
