"""``baseline show``: what a baseline holds, one record, and the audit trail."""

from __future__ import annotations

import os
from typing import Any

from sscguard.baseline.store import BaselineError, BaselineReader
from sscguard.textutil import sanitize


def describe(db: str, path: str | None = None, audit: bool = False) -> dict[str, Any]:
    with BaselineReader(db) as reader:
        meta = {k: v for k, v in reader.meta.items() if k != "locations"}
        info: dict[str, Any] = {
            "database": os.path.abspath(db),
            "meta": meta,
            "locations": [{"path": loc.path, "kind": loc.kind} for loc in reader.locations],
            "entries": reader.count(),
            "by_type": dict(reader.conn.execute("SELECT ftype, count(*) FROM files GROUP BY 1")),
            "by_package_state": dict(
                reader.conn.execute("SELECT pkg_state, count(*) FROM files GROUP BY 1")
            ),
            "signature_states": dict(
                reader.conn.execute(
                    "SELECT signature, count(*) FROM files WHERE signature IS NOT NULL GROUP BY 1"
                )
            ),
            "audit_entries": len(reader.audit()),
            "signature_file": db + ".sig" if os.path.exists(db + ".sig") else None,
        }
        if path is not None:
            rec = reader.get("/" + path.strip("/"))
            if rec is None:
                raise BaselineError(f"{path} is not in the baseline")
            info["record"] = {
                "path": rec.path,
                "type": rec.ftype,
                "mode": f"{rec.mode:04o}",
                "uid": rec.uid,
                "gid": rec.gid,
                "size": rec.size,
                "inode": rec.ino,
                "device": rec.dev,
                "mtime_ns": rec.mtime_ns,
                "ctime_ns": rec.ctime_ns,
                "sha256": rec.sha256,
                "link": rec.link,
                "package": rec.package,
                "package_state": rec.pkg_state,
                "signature": rec.signature,
                "error": rec.error,
            }
        if audit:
            info["audit"] = [
                {
                    "id": e.id,
                    "at": e.at,
                    "who": e.who,
                    "reason": e.reason,
                    "action": e.action,
                    "path": e.path,
                    "before": e.before,
                    "after": e.after,
                }
                for e in reader.audit()
            ]
    return info


def render_text(info: dict[str, Any]) -> str:
    lines = [f"baseline {info['database']}"]
    for key in ("created", "root", "host", "tool_version", "generation", "accepted_at"):
        if key in info["meta"]:
            lines.append(f"  {key}: {info['meta'][key]}")
    lines.append(f"  entries: {info['entries']} {info['by_type']}")
    lines.append(f"  package states: {info['by_package_state']}")
    if info["signature_states"]:
        lines.append(f"  Authenticode states: {info['signature_states']}")
    lines.append(f"  signature file: {info['signature_file'] or 'none (unsigned)'}")
    lines.append(f"  audit entries: {info['audit_entries']}")
    lines.append("  locations:")
    lines.extend(f"    {loc['kind']:<16} {loc['path']}" for loc in info["locations"])
    if "record" in info:
        lines.append("record:")
        lines.extend(f"  {k}: {v}" for k, v in info["record"].items())
    if "audit" in info:
        lines.append("audit trail:")
        lines.extend(
            f"  #{e['id']} {e['at']} {e['who']}: {e['action']} {e['path']} -- {e['reason']}"
            for e in info["audit"]
        )
    return "\n".join(sanitize(line, 2000) for line in lines) + "\n"
