"""Searching many boards as one: fan-out, filters, dedup, paging and job details for the tools.

`service.SearchService` is what the MCP tools use; `filters` holds the remote / age / location rules that
the service and the boards searched client-side share (the boards import it, so this package imports
nothing on its own).
"""
