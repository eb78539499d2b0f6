"""Extract every UI string into a POT file: `python -m scripts.messages OUT.pot`.

`make messages` runs this, then `pybabel update` merges the POT into each language's .po.
Sources and options come from babel.cfg. Besides gettext's usual keywords (`_`, `N_`, ...),
the literal first argument of every DomainError subclass is extracted, so
`raise NotFound("Dit actiepunt bestaat niet.")` needs no marker. tests/test_i18n.py runs
the same extraction and fails when a string has no English translation.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "app" / "translations" / "messages.pot"


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found | {cls}


def keywords() -> dict[str, Any]:
    import app.main  # noqa: F401 - imports every route and service, so every DomainError
    from app.services.errors import DomainError

    errors = {cls.__name__: None for cls in _subclasses(DomainError)}
    return {**DEFAULT_KEYWORDS, **errors}


def extract() -> Catalog:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp, str(ROOT / "babel.cfg"))
    catalog = Catalog(project="Gesprekskaarten", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords=keywords(),
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else POT
    catalog = extract()
    with out.open("wb") as fp:
        # Locations without line numbers: the catalogues change only when strings do.
        write_po(fp, catalog, include_lineno=False, sort_output=True)
    print(f"{len(catalog)} messages extracted to {out}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
