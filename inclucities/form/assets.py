"""The form's script and stylesheet (static/form/), each named by a hash of its content.

Both hosts use the same two files: the light page links them by their hashed names (cached by
phones for good), the Streamlit page inlines their text into its component.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from inclucities.palette import stylesheet as palette_stylesheet

FOLDER = Path(__file__).resolve().parent.parent.parent / "static" / "form"
URL_PREFIX = "form-assets"
FILES = {"js": "survey-form.js", "css": "survey-form.css"}


@dataclass(frozen=True)
class FormFile:
    """One file of the form, with the name it is served under."""

    path: Path
    text: str
    digest: str

    @property
    def served_name(self) -> str:
        return f"{self.path.stem}.{self.digest}{self.path.suffix}"

    @property
    def url(self) -> str:
        """Relative to the app's root."""
        return f"{URL_PREFIX}/{self.served_name}"


@lru_cache(maxsize=1)
def form_files() -> dict[str, FormFile]:
    """The script ('js') and stylesheet ('css'), read once per process."""
    files = {}
    for kind, name in FILES.items():
        path = FOLDER / name
        text = path.read_text(encoding="utf-8")
        if kind == "css":  # the light page loads no other stylesheet: the palette comes first
            text = f"{palette_stylesheet()}\n{text}"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        files[kind] = FormFile(path, text, digest)
    return files


def by_served_name(name: str) -> FormFile | None:
    return next((f for f in form_files().values() if f.served_name == name), None)
