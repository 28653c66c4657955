"""Parsers for server configuration files. Each keeps the file and line of what it parsed
and reads only through a ``RootFS``; a file it cannot parse becomes a ``Skipped`` entry."""
