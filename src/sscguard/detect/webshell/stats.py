"""Statistical signals of packed or encoded code: entropy, longest token, encoded-blob ratio."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_BLOB = re.compile(rb"[A-Za-z0-9+/=]{100,}|(?:\\x[0-9a-fA-F]{2}){25,}|[0-9a-fA-F]{200,}")
SAMPLE = 256 << 10


@dataclass(frozen=True, slots=True)
class Stats:
    entropy: float  # Shannon entropy in bits per byte
    longest_token: int  # longest run without whitespace or quotes
    blob_ratio: float  # share of bytes inside base64/hex-like runs

    @property
    def packed(self) -> bool:
        """A large part of the file is one encoded blob."""
        return self.blob_ratio >= 0.4 and self.longest_token >= 1000


def entropy(data: bytes) -> float:
    if not data:
        return 0.0
    total = len(data)
    return -sum(c / total * math.log2(c / total) for c in Counter(data).values())


def measure(data: bytes) -> Stats:
    sample = data[:SAMPLE]
    longest = max(map(len, sample.split()), default=0)
    blob = sum(m.end() - m.start() for m in _BLOB.finditer(sample))
    return Stats(
        entropy=round(entropy(sample[:65536]), 3),
        longest_token=longest,
        blob_ratio=round(blob / len(sample), 3) if sample else 0.0,
    )
