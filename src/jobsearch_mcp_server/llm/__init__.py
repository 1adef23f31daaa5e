"""The embedded client for a self-hosted DeepSeek-R1 (any OpenAI-compatible endpoint)."""
