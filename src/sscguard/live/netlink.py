"""Process events from the kernel's proc connector (netlink, ``NETLINK_CONNECTOR``/``CN_IDX_PROC``).

Polling ``/proc`` misses a child that lives for a few milliseconds (``sh -c id`` under a web
shell). The proc connector tells us about every fork and exec as it happens; we read the new
process from ``/proc`` right then. It needs root (CAP_NET_ADMIN) and a kernel built with
``CONFIG_PROC_EVENTS``; ``open_connector()`` returns None otherwise and the caller polls.

Even with it, a process that exits before we read it is only a pid: its program is lost. Under
heavy load the socket buffer can overflow (ENOBUFS): events are lost, the poll is the safety net.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass

log = logging.getLogger(__name__)

NETLINK_CONNECTOR = 11
CN_IDX_PROC = 1
CN_VAL_PROC = 1
NLMSG_DONE = 3
PROC_CN_MCAST_LISTEN = 1
PROC_CN_MCAST_IGNORE = 2
PROC_EVENT_FORK = 0x00000001
PROC_EVENT_EXEC = 0x00000002
PROC_EVENT_EXIT = 0x80000000

_NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
_CN_MSG = struct.Struct("=IIIIHH")  # idx, val, seq, ack, len, flags
_EVENT_HEAD = struct.Struct("=IIQ")  # what, cpu, timestamp_ns


@dataclass(frozen=True, slots=True)
class ProcEvent:
    kind: str  # "fork", "exec", "exit"
    pid: int  # the new / exec'd / exiting process (thread group id)
    parent: int = 0  # for fork: the parent's thread group id


def _control(op: int) -> bytes:
    body = _CN_MSG.pack(CN_IDX_PROC, CN_VAL_PROC, 0, 0, 4, 0) + struct.pack("=I", op)
    return _NLMSGHDR.pack(_NLMSGHDR.size + len(body), NLMSG_DONE, 0, 0, os.getpid()) + body


def open_connector(timeout: float = 0.5) -> socket.socket | None:
    """A subscribed proc-connector socket, or None when not root or not supported."""
    if not hasattr(socket, "AF_NETLINK"):
        return None
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
    except OSError as exc:
        log.info("proc connector unavailable: %s", exc)
        return None
    try:
        sock.bind((0, CN_IDX_PROC))  # 0: the kernel assigns the port id
        sock.send(_control(PROC_CN_MCAST_LISTEN))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sock.settimeout(timeout)
    except OSError as exc:
        log.info("proc connector unavailable: %s", exc)
        sock.close()
        return None
    return sock


def close_connector(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.send(_control(PROC_CN_MCAST_IGNORE))
    sock.close()


def parse(data: bytes) -> Iterator[ProcEvent]:
    """Events in one datagram (which may hold several netlink messages)."""
    offset = 0
    while offset + _NLMSGHDR.size <= len(data):
        length = _NLMSGHDR.unpack_from(data, offset)[0]
        if length < _NLMSGHDR.size or offset + length > len(data):
            return
        body = offset + _NLMSGHDR.size + _CN_MSG.size
        if body + _EVENT_HEAD.size <= offset + length:
            what = _EVENT_HEAD.unpack_from(data, body)[0]
            payload = body + _EVENT_HEAD.size
            try:
                if what == PROC_EVENT_FORK:
                    _ppid, ptgid, _cpid, ctgid = struct.unpack_from("=IIII", data, payload)
                    if _cpid == ctgid:  # a new process, not a new thread
                        yield ProcEvent("fork", ctgid, ptgid)
                elif what == PROC_EVENT_EXEC:
                    _pid, tgid = struct.unpack_from("=II", data, payload)
                    yield ProcEvent("exec", tgid)
                elif what == PROC_EVENT_EXIT:
                    pid, tgid = struct.unpack_from("=II", data, payload)
                    if pid == tgid:
                        yield ProcEvent("exit", tgid)
            except struct.error:
                return
        offset += (length + 3) & ~3


def receive(sock: socket.socket) -> list[ProcEvent]:
    """Events available now ([] on timeout); ENOBUFS (lost events) is logged and survived."""
    try:
        data = sock.recv(1 << 16)
    except TimeoutError:
        return []
    except OSError as exc:
        if exc.errno == errno.ENOBUFS:
            log.warning("proc connector: kernel dropped events (buffer overflow)")
            return []
        raise
    return list(parse(data))
