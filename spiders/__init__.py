"""Spiders: discovery only; extraction happens in the pipelines."""
