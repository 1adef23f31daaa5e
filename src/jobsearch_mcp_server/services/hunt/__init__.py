"""The job hunt over weeks: the application pipeline, saved searches that surface only new postings,
postings checked for life, and exports. Each part is built from explicit dependencies (the store, the
search service, the matcher), so the MCP tools and the CLI share them."""
