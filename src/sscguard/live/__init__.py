"""Live-host hunting: process snapshots (``hunt``), the behaviour baseline (``baseline``), the
long-running ``watch`` loop and its event sources (``netlink`` proc connector, ``logtail``).

Everything here reads the running host; nothing works on a mounted image (``--root``).
"""
