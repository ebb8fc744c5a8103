"""Spider middlewares: request safety on the spider side."""
