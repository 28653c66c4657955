"""SQL server components (T1505.001): live and offline audits of database catalogs.

``packs`` holds the query packs, ``live`` runs them over a DB-API connection, ``catalog``
reads their offline output, the engine modules (``postgres``, ``mysql``, ``mssql``,
``oracle``) turn rows into facts and facts into findings, and ``audit`` ties them together.
"""
