"""Pure discovery helpers: sitemaps, feeds, section pages, the sources file and dates.

Nothing here fetches or knows about a crawler: each function takes bytes or strings a spider
already has and returns plain data, so it is tested from fixtures alone (issue 3).
"""
