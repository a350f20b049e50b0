"""Adapters for files: profiles (TOML), program tables, calendars."""
