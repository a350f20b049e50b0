"""The market simulator: seeded national markets run through the Match engine, in parallel on
this machine (a process pool), on a Dask cluster or on Ray."""
