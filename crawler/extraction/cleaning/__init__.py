"""Pure news-specific cleaning of extracted paragraphs: one rule set, one vocabulary."""
