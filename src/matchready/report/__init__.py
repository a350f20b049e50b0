"""Reports: a self-contained HTML page (inline CSS and SVG charts) and its PDF print."""
