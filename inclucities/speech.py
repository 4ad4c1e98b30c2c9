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
from inclucities.survey.models import AGREEMENT_LEVELS, Question, Survey

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


def clip_key(lang: str, text: str) -> str:
    """The name of a text's clip: a hash of language and text (a new text, a new clip)."""
    return hashlib.sha256(f"{lang}\n{text}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Clip:
    key: str
    lang: str
    text: str


def answer_labels(question: Question, t: Translator) -> list[str]:
    """The words of each answer a question offers, as the form shows them (for an agreement
    statement, the scale, then its "I don't know" or "does not apply" if it has one)."""
    if question.type == "agreement":
        labels = [scale_label(t, level) for level in AGREEMENT_LEVELS]
        if question.no_answer is not None:
            labels.append(t.text(question.no_answer.label))
        return labels
    return [t.text(option.label) for option in question.options]


def _sentence(text: str) -> str:
    """A part read as its own sentence: a final full stop when it ends in a letter or digit."""
    text = text.strip()
    return f"{text}." if text and text[-1].isalnum() else text


def question_reading(question: Question, t: Translator) -> str:
    """What the question's one listen button reads: the question, its help, the lines of a grid,
    then every answer it offers, each as its own sentence."""
    parts = [t.text(question.text)]
    if question.help:
        parts.append(t.text(question.help))
    parts += [t.text(item.label) for item in question.items]
    parts += answer_labels(question, t)
    return " ".join(_sentence(part) for part in parts if part.strip())


def survey_texts(survey: Survey, t: Translator, min_cell_size: int) -> list[str]:
    """Every text of a survey that has a listen button, in the translator's language: the
    introduction, the consent (with its small-group size filled in) and each question's
    reading."""
    texts = [t.text(survey.introduction), survey.consent_text(t.lang, min_cell_size)]
    texts += [question_reading(question, t) for question in survey.questions]
    return [text for text in dict.fromkeys(texts) if text.strip()]


def speech_catalog(surveys: Iterable[Survey], min_cell_size: int) -> dict[str, Clip]:
    """Every text that may be heard, in every language, by clip key."""
    catalog: dict[str, Clip] = {}
    surveys = list(surveys)
    for lang in LANGUAGES:
        t = translator(lang)
        for survey in surveys:
            for text in survey_texts(survey, t, min_cell_size):
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
