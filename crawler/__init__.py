"""News-corpus crawler: clean, de-duplicated article text in the seed format."""

__version__ = "0.1.0"
