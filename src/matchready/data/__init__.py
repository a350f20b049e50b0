"""Bundled facts (CSV files beside this module) and their loader.

Each file has one row per fact, with `source`, `as_of` and `status` next to its values.
"""

from matchready.data.loader import load_facts

__all__ = ["load_facts"]
