"""Ranking jobs against a resume, with reasons."""
