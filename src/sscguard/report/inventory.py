"""Rendering an ``Inventory`` (servers and components; not findings).

The JSON form is stable and documented in docs/components.md: ``schema_version`` changes
major on any incompatible change. Every string from the scanned system is sanitized before
it reaches a terminal.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from sscguard.model import Location
from sscguard.targets import Inventory
from sscguard.textutil import sanitize

INVENTORY_SCHEMA = "1.0"


def _loc(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"path": loc.path}
    if loc.line is not None:
        out["line"] = loc.line
    return out


def inventory_to_dict(inv: Inventory) -> dict[str, Any]:
    servers = []
    for s in inv.servers:
        servers.append(
            {
                "kind": s.kind,
                "name": s.name,
                "platform": s.platform,
                "version": s.version,
                "user": s.user,
                "config_files": list(s.config_files),
                "web_roots": list(s.web_roots),
                "component_dirs": list(s.component_dirs),
                "log_files": [
                    {"path": lf.path, "format": lf.format, "configured_at": _loc(lf.configured_at)}
                    for lf in s.log_files
                ],
                "components": [
                    {
                        "kind": c.kind,
                        "name": c.name,
                        "path": c.path,
                        "configured_at": _loc(c.configured_at),
                        "owner_package": c.owner_package,
                        "signature_state": c.signature_state,
                        "detail": dict(c.detail),
                    }
                    for c in inv.components_of(s)
                ],
                "settings": [
                    {
                        "key": st.key,
                        "value": st.value,
                        "at": _loc(st.location),
                        "detail": dict(st.detail),
                    }
                    for st in inv.settings
                    if st.server == s.name
                ],
            }
        )
    return {
        "schema_version": INVENTORY_SCHEMA,
        "kind": "sscguard-inventory",
        "root": inv.root,
        "servers": servers,
        "skipped": [
            {"source": k.source, "code": k.code.value, "reason": k.reason} for k in inv.skipped
        ],
    }


def render_inventory_json(inv: Inventory, out: TextIO) -> None:
    out.write(json.dumps(inventory_to_dict(inv), indent=2, sort_keys=False) + "\n")


def render_inventory_jsonl(inv: Inventory, out: TextIO) -> None:
    """One line per component, with its server's kind and name."""
    for s in inv.servers:
        for c in inv.components_of(s):
            row = {
                "server_kind": s.kind,
                "server": s.name,
                "kind": c.kind,
                "name": c.name,
                "path": c.path,
                "configured_at": _loc(c.configured_at),
                "owner_package": c.owner_package,
                "signature_state": c.signature_state,
            }
            out.write(json.dumps(row) + "\n")


def render_inventory_table(inv: Inventory, out: TextIO, verbose: int = 0) -> None:
    w = out.write
    w(f"root: {sanitize(inv.root, 300)}\n")
    if not inv.servers:
        w("no servers found\n")
    for s in inv.servers:
        w(
            f"\n== {sanitize(s.name, 200)}  [{s.kind}, {s.platform}"
            f"{', ' + sanitize(s.version, 60) if s.version else ''}"
            f"{', runs as ' + sanitize(s.user, 60) if s.user else ''}]\n"
        )
        w(
            f"   config files: {len(s.config_files)}"
            + (f" (main {sanitize(s.config_files[0], 200)})" if s.config_files else "")
            + "\n"
        )
        for label, values in (("web roots", s.web_roots), ("component folders", s.component_dirs)):
            if values:
                w(f"   {label}: {sanitize(', '.join(values), 400)}\n")
        for lf in s.log_files:
            w(f"   log: {sanitize(lf.path, 200)} ({sanitize(lf.format, 80)})\n")
        comps = inv.components_of(s)
        if comps:
            w(f"   components ({len(comps)}):\n")
        for c in comps:
            where = sanitize(str(c.configured_at), 200)
            owner = c.owner_package or "-"
            w(
                f"     {c.kind:<15} {sanitize(c.name, 60):<40} {c.signature_state:<17} "
                f"{sanitize(owner, 30):<20} {where}\n"
            )
            if verbose and c.path:
                w(f"       path: {sanitize(c.path, 300)}\n")
    if inv.skipped:
        w(f"\nskipped ({len(inv.skipped)}):\n")
        for k in inv.skipped[: None if verbose else 20]:
            w(f"  {sanitize(k.source, 200)}: {k.code.value}: {sanitize(k.reason, 200)}\n")
