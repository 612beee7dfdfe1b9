"""The public site: pages, filters, open-data exports and the template tags that format them; published data only."""
