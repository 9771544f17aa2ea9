"""Data files shipped with the gateway (the SAMPLE institution directory)."""
