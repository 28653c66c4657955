"""Pure detection logic: typed facts in, findings out. No I/O here."""
