"""Routes: pages (HTML) and the JSON API, both thin over the service functions."""
