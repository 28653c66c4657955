"""Readers for access logs (``access``, ``formats``) and host event records (``events``)."""
