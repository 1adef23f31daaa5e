"""`jobsearch-mcp ui`: the server's MCP Apps views in a local web page, for hosts that render no apps.

The page (static/) is the host side of the MCP Apps protocol; `bridge` runs the tools it may call
through an in-process MCP client session, and `app` serves both on loopback behind a per-launch key.
"""
