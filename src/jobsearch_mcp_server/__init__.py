"""jobsearch-mcp: a private job-search assistant served over the Model Context Protocol."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jobsearch-mcp-server")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
