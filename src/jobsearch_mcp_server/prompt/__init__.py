"""Prompt templates: files in the top-level `prompts/` folder, one source of truth for MCP and the LLM."""

from .templates import PromptTemplate, PromptTemplateError, load_templates, prompts_dir

__all__ = ["PromptTemplate", "PromptTemplateError", "load_templates", "prompts_dir"]
