"""The web app (FastAPI + Jinja2 + HTMX): thin routes over the same services as the CLI."""
