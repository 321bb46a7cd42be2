"""Every figure the dashboards show, computed by aggregate queries (see ``base``, ``tickets``, ``plan``)."""
