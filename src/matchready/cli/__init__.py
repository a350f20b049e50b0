"""The command-line interface (Typer + Rich): thin wrappers over the service functions."""
