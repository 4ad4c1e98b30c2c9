"""Make the read-aloud clips of every survey text with espeak-ng, ahead of time.

    python -m scripts.build_audio                 # every language; remove clips no text uses
    python -m scripts.build_audio --lang ar --lang uk --keep

Clips go to INCLUCITIES_AUDIO_DIR (default data/local/audio, not in git), one `<key>.wav` per
text, the key a hash of language and text, so a text that changes gets a new clip on the next
run; `manifest.json` records each clip's language and text. The server makes a missing clip on
first use too (when espeak-ng is installed); running this before an event spares the room that
wait. Needs the Debian package espeak-ng (apt-get install espeak-ng).
"""

from __future__ import annotations

import argparse
import sys
import time

from inclucities.i18n import LANGUAGES
from inclucities.settings import get_settings
from inclucities.speech import AudioLibrary, espeak_path, speech_catalog
from inclucities.survey.loader import load_survey_definitions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=list(LANGUAGES), help="only these")
    parser.add_argument("--keep", action="store_true", help="keep clips no text uses any more")
    args = parser.parse_args()
    if espeak_path() is None:
        print("espeak-ng is not installed: apt-get install espeak-ng", file=sys.stderr)
        return 1
    registry = load_survey_definitions()
    for name, error in registry.errors.items():
        print(f"skipped survey {name}: {error.splitlines()[0]}", file=sys.stderr)
    catalog = speech_catalog(registry.surveys.values(), get_settings().min_cell_size)
    if args.lang:
        catalog = {key: clip for key, clip in catalog.items() if clip.lang in args.lang}
    folder = get_settings().audio_dir
    started = time.monotonic()
    report = AudioLibrary(folder).build(catalog, prune=not (args.keep or args.lang))
    seconds = time.monotonic() - started
    print(
        f"{folder}: {report['made']} made, {report['kept']} already up to date, "
        f"{report['removed']} removed, {report['clips']} clips in the manifest ({seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
