"""The navigation: one entry per page, in the order of the applicant's road.

Later capabilities (programs, list, calendar, tracker, simulator) add their entry here.
"""

NAV: list[tuple[str, str]] = [
    ("Profile", "/profile"),
    ("Plan", "/plan"),
    ("Programs", "/programs"),
    ("List", "/list"),
    ("Tracker", "/tracker"),
    ("Odds", "/odds"),
    ("Calendar", "/calendar"),
    ("Costs", "/costs"),
    ("Specialties", "/specialties"),
    ("Facts", "/facts"),
]
