"""Integrity of server component locations (ATT&CK T1505, mitigations M1047 and M1045).

* ``locations``: which folders a baseline covers (web roots, module folders, server configs).
* ``records``: the typed facts one file system entry yields, and the rules for when to re-hash.
* ``collect``: the only I/O: walking the locations under a root, stat, hashing, in key order.
* ``store``: the SQLite baseline (schema version, streaming writes, crash-safe replacement).
* ``diff``: pure comparison of a baseline record with the current one.
* ``checks``: pure: drift, package and signature facts in, findings out (SSC-000-100..149).
* ``dpkg``: owners and digests of the covered paths, from the one dpkg reader
  (``extract.dpkg``). Authenticode state comes from ``extract.pe_signature`` (shared with
  discovery).
* ``sign``: Ed25519 detached signatures over the baseline's canonical content.
* ``engine``: init, verify and accept, wiring the above together.
* ``watch``: inotify watching with a full stat verify on queue overflow or watcher error.
"""
