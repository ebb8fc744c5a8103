"""Pure address rules and the guarded DNS resolver: what the crawler never connects to."""
