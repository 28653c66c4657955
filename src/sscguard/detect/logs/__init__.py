"""Hunting in logs and event records: access-log analytics, host events, Sigma, correlation."""
