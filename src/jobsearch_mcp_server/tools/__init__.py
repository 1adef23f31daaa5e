"""MCP tool, resource and prompt wiring, one module per concern.

Each module has `register(mcp, runtime)`; the functions it registers stay thin and call plain,
testable code in the concern's package (sources, resume, matching, llm, store).
"""
