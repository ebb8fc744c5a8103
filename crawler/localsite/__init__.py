"""A local news site on 127.0.0.1: the bundled mock site rendered, and the one loopback server."""
