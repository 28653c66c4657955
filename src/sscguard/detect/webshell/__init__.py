"""Web-shell detection (ATT&CK T1505.003)."""
