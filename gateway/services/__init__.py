"""What the gateway does for its callers: ingest, cases, feeds, undertrials, the vehicle
register, keys and institutions, disclosure, clocks. The routes and the command line call
these; these call messaging and the store."""
