"""matchready: a local-first planner for international medical graduates (IMGs).

Importing this package does no work: no file is read and no engine is created here.
"""

__version__ = "0.1.0"
