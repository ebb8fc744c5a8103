"""Project commands (``COMMANDS_MODULE``): ``crawl`` with meaningful exit statuses, ``demo``."""
