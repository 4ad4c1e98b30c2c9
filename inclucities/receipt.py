"""Receipt codes: what a respondent keeps to withdraw their answers later, and its stored hash.

The code is derived from the submission id (itself a hash of the browser's secret cookie token),
so a retry of the same answer shows the same code. It is 12 characters of Crockford base32
(60 bits: no one guesses one), shown in groups of four. The database keeps only a SHA-256 hash of
the code, so the stored rows alone cannot be linked back to a code.
"""

from __future__ import annotations

import base64
import hashlib
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 12
_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
_TO_CROCKFORD = str.maketrans(_STANDARD, ALPHABET)
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})  # what a reader may type
_SEPARATORS = re.compile(r"[\s\-–—_.]+")


def receipt_code(submission_id: str) -> str:
    """The respondent's receipt for one submission, e.g. 'K7QF-3M9X-2PZD'."""
    digest = hashlib.sha256(f"inclucities-receipt-v1\x1f{submission_id}".encode()).digest()
    raw = base64.b32encode(digest).decode("ascii").translate(_TO_CROCKFORD)[:LENGTH]
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(typed: str) -> str | None:
    """The code as typed (any case, spaces or dashes, O for 0...), or None if it cannot be one."""
    compact = _SEPARATORS.sub("", typed.strip().upper()).translate(_READ_AS)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return "-".join(compact[i : i + 4] for i in range(0, LENGTH, 4))


def receipt_hash(code: str) -> str:
    """What the store keeps for a (normalised) code."""
    return hashlib.sha256(f"inclucities-receipt-hash-v1\x1f{code}".encode()).hexdigest()
