"""Where articles and crawl state live: SQLite or Redis state, the output folder, the seed format."""
