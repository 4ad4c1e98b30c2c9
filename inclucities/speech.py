"""Survey text read aloud: which texts can be heard, and the espeak-ng clips made ahead of time.

The phone's own voice (Web Speech API) reads a text when it has one for the language; else the
page plays a clip made here with espeak-ng. Each clip is named by a hash of its language and
text, so a changed text gets a new clip; `manifest.json` beside the clips records each clip's
language and text. `scripts/build_audio.py` makes every clip; the audio route makes a missing
one on demand (when espeak-ng is installed) and serves only texts of the surveys.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inclucities.i18n import LANGUAGES, Translator, translator
from inclucities.survey.form import scale_label
from inclucities.survey.models import Survey

# espeak-ng voice per language (`espeak-ng --voices`): all nine ship with Debian's espeak-ng-data.
VOICES: dict[str, str] = {
    "en": "en-gb",
    "fr": "fr-fr",
    "nl": "nl",
    "es": "es",
    "it": "it",
    "el": "el",
    "lv": "lv",
    "ar": "ar",
    "uk": "uk",
}
WORDS_PER_MINUTE = 140  # a little slower than espeak-ng's 175, for listeners who need time
SYNTHESIS_TIMEOUT = 30  # seconds for one clip
MANIFEST = "manifest.json"
UI_MESSAGES = ("survey.consent_checkbox",)  # interface texts of the form that can be heard


def clip_key(lang: str, text: str) -> str:
    """The name of a text's clip: a hash of language and text (a new text, a new clip)."""
    return hashlib.sha256(f"{lang}\n{text}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Clip:
    key: str
    lang: str
    text: str


def survey_texts(survey: Survey, t: Translator) -> list[str]:
    """Every text of a survey that has a listen button, in the translator's language."""
    texts = [t.text(survey.introduction), t.text(survey.consent)]
    texts += [t(key) for key in UI_MESSAGES]
    for question in survey.questions:
        texts.append(t.text(question.text))
        if question.help:
            texts.append(t.text(question.help))
        texts += [t.text(item.label) for item in question.items]
        for option in question.options:
            texts.append(t.text(option.label))
            hint = getattr(option, "hint", None)
            if hint:
                texts.append(t.text(hint))
        if question.type == "agreement":
            texts += [scale_label(t, level) for level in question.option_ids]
    return [text for text in dict.fromkeys(texts) if text.strip()]


def speech_catalog(surveys: Iterable[Survey]) -> dict[str, Clip]:
    """Every text that may be heard, in every language, by clip key."""
    catalog: dict[str, Clip] = {}
    surveys = list(surveys)
    for lang in LANGUAGES:
        t = translator(lang)
        for survey in surveys:
            for text in survey_texts(survey, t):
                key = clip_key(lang, text)
                catalog[key] = Clip(key, lang, text)
    return catalog


def espeak_path() -> str | None:
    """The espeak-ng program, or None when it is not installed."""
    return shutil.which("espeak-ng")


class AudioLibrary:
    """Clips in one folder (`<key>.wav`) and the manifest recording each clip's text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def manifest(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_manifest(self, manifest: dict[str, dict[str, object]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{MANIFEST}.{os.getpid()}.{threading.get_ident()}"
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        tmp.write_text(text, "utf-8")
        tmp.replace(self.folder / MANIFEST)

    def synthesize(self, clip: Clip, program: str | None = None) -> Path:
        """Make a clip with espeak-ng (written to a temporary file, then moved into place)."""
        program = program or espeak_path()
        if program is None:
            raise FileNotFoundError("espeak-ng is not installed")
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(clip.key)
        with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".part", delete=False) as tmp:
            partial = Path(tmp.name)
        try:
            command = [program, "-v", VOICES[clip.lang], "-s", str(WORDS_PER_MINUTE)]
            subprocess.run(
                [*command, "-w", str(partial), "--stdin"],
                input=clip.text.encode("utf-8"),
                check=True,
                capture_output=True,
                timeout=SYNTHESIS_TIMEOUT,
            )
            if partial.stat().st_size == 0:
                raise RuntimeError(f"espeak-ng made an empty clip for {clip.lang}")
            partial.chmod(0o644)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        with self._lock:
            manifest = self.manifest()
            manifest[clip.key] = self._entry(clip, target)
            self._write_manifest(manifest)
        return target

    @staticmethod
    def _entry(clip: Clip, path: Path) -> dict[str, object]:
        return {
            "lang": clip.lang,
            "text": clip.text,
            "file": path.name,
            "bytes": path.stat().st_size,
        }

    def build(self, catalog: dict[str, Clip], prune: bool = True) -> dict[str, int]:
        """Make every missing clip; with `prune`, remove clips no text uses any more."""
        made = kept = removed = 0
        program = espeak_path()
        manifest = self.manifest()
        for key, clip in catalog.items():
            recorded = manifest.get(key, {})
            if self.path(key).is_file() and recorded.get("text") == clip.text:
                kept += 1
                continue
            self.synthesize(clip, program)
            made += 1
        if prune and self.folder.is_dir():
            for path in self.folder.glob("*.wav"):
                if path.stem not in catalog:
                    path.unlink()
                    removed += 1
        with self._lock:
            manifest = {
                key: entry for key, entry in self.manifest().items() if self.path(key).is_file()
            }
            if prune:
                manifest = {key: entry for key, entry in manifest.items() if key in catalog}
            for key, clip in catalog.items():
                if self.path(key).is_file():
                    manifest[key] = self._entry(clip, self.path(key))
            self._write_manifest(manifest)
        return {"made": made, "kept": kept, "removed": removed, "clips": len(manifest)}
