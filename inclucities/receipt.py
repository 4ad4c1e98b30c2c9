"""Receipt codes: what a respondent keeps to withdraw their answers later, and its stored hash.

The code is an HMAC of the submission id (itself a hash of the browser's secret token) keyed
with a server secret (`Store.server_secret(RECEIPT_SECRET)`, made once, kept in the database and
in no export), so a retry of the same answer shows the same code, and nobody holding an export's
submission ids can compute one. It is 12 characters of Crockford base32 (60 bits: no one guesses
one), shown in groups of four. The database keeps only a SHA-256 hash of the code, so the stored
rows alone cannot be linked back to a code. Codes issued before the key existed (unkeyed,
`legacy_receipt_code`) still withdraw their answers: withdrawal only hashes what is typed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 12
_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
_TO_CROCKFORD = str.maketrans(_STANDARD, ALPHABET)
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})  # what a reader may type
_SEPARATORS = re.compile(r"[\s\-–—_.]+")
RECEIPT_SECRET = "receipt-v2"  # the name of the server secret receipt codes are keyed with
MIN_KEY_BYTES = 16


def _shown(digest: bytes) -> str:
    raw = base64.b32encode(digest).decode("ascii").translate(_TO_CROCKFORD)[:LENGTH]
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def receipt_code(submission_id: str, key: bytes) -> str:
    """The respondent's receipt for one submission, e.g. 'K7QF-3M9X-2PZD', keyed with the
    server secret `key` (so only the server, and the respondent it told, know it)."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"a receipt key needs at least {MIN_KEY_BYTES} bytes")
    message = f"inclucities-receipt-v2\x1f{submission_id}".encode()
    return _shown(hmac.new(key, message, hashlib.sha256).digest())


def legacy_receipt_code(submission_id: str) -> str:
    """The unkeyed code given before version 2 (anyone with the submission id can compute it);
    kept only so tests and notes can name what older receipts look like."""
    return _shown(hashlib.sha256(f"inclucities-receipt-v1\x1f{submission_id}".encode()).digest())


def normalise(typed: str) -> str | None:
    """The code as typed (any case, spaces or dashes, O for 0...), or None if it cannot be one."""
    compact = _SEPARATORS.sub("", typed.strip().upper()).translate(_READ_AS)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return "-".join(compact[i : i + 4] for i in range(0, LENGTH, 4))


def receipt_hash(code: str) -> str:
    """What the store keeps for a (normalised) code."""
    return hashlib.sha256(f"inclucities-receipt-hash-v1\x1f{code}".encode()).hexdigest()
