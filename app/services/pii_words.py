"""Word lists for the personal-data guard: Dutch first names and places, and the words that
look like names but are not.

First names, surnames and places come from `deduce` (de-identification of Dutch text, UMC
Utrecht; LGPL), a maintained, curated source. Only its text files are read, not its pipeline:
that builds lookup structures for 1-2 minutes on a first start and takes milliseconds per text,
while the guard must stay under one millisecond. Nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

# Words with a capital that are not people even when a name list holds them: months and
# days, feasts, titles in school and street names, Dutch words that start a sentence, and
# English ones ("My school", "Dot voting": answers come in English too).
_NOT_NAMES_TEXT = """
de het een en maar of dat die dit deze elk elke ieder iedere alle veel geen ook ons onze mijn
zijn haar hun jullie ik jij je hij zij ze wij we u welk welke zo'n wat wie waar hoe als bij voor
met van in op om na nu dan toen zoals sommige meer minder andere per tot sinds vanaf uit naar
door over onder tegen tussen zonder da di du la le del der den ten ter te
ben wil mag kan kun mark hoop roos bas fleur iris zon lente winter zomer herfst
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
kerst kerstmis pasen pinksteren sinterklaas sint st koning koningin prins prinses graaf
heilige onze lieve vrouwe paus bisschop keizer
wet god allah jezus
an my dot skip will may can sue pat bill rose hope joy art guy ray page grace faith june
"""


def words(text: str) -> list[str]:
    """A list of words written as one string: easier to read and to extend."""
    return text.split()


NOT_NAMES = frozenset(words(_NOT_NAMES_TEXT))

# A name inside these is the name of a school, a foundation, a programme: "Jan
# Ligthartschool", "Willem de Zwijger College", "Sint Jozefschool", "Koning Willem I College".
INSTITUTION_WORDS = frozenset(
    words(
        """school basisschool college lyceum gymnasium atheneum mavo havo vwo vmbo mbo hbo
    stichting centrum instituut academie kindcentrum ikc obs cbs pcbs rkbs kbs sbo so vso
    kliniek ziekenhuis huis gemeente regio wijk wijkteam programma project methode training
    fonds kerk moskee plein straat laan weg park"""
    )
)
INSTITUTION_SUFFIXES = ("school", "college", "lyceum", "gymnasium", "centrum")


@dataclass(frozen=True)
class NameLists:
    first_names: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]


def _deduce_lookup() -> Path:
    """deduce's list directory, found without importing deduce (that would load its pipeline)."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the personal-data guard needs the deduce package (pip install deduce)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "lookup" / "src"


def _read(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


@functools.cache
def name_lists() -> NameLists:
    """Read once per process (about 30,000 lines, a few milliseconds)."""
    root = _deduce_lookup()
    common = _read(root / "whitelist" / "lst_common_word" / "items.txt")
    common |= _read(root / "whitelist" / "lst_stop_word" / "items.txt")
    first = _read(root / "names" / "lst_first_name" / "items.txt")
    exceptions = root / "names" / "lst_first_name" / "exceptions.txt"
    if exceptions.exists():
        first -= _read(exceptions)
    # A first name that is also a common Dutch word ("Hoop", "Meer") is not a name by itself.
    first = {n for n in first if len(n) > 1 and n.lower() not in common | NOT_NAMES}
    places = _read(root / "locations" / "lst_placename" / "lst_residence" / "items.txt")
    places |= _read(root / "locations" / "lst_placename" / "lst_municipality" / "items.txt")
    surnames = _read(root / "names" / "lst_surname" / "items.txt")
    return NameLists(
        first_names=frozenset(first),
        surnames=frozenset(surnames),
        places=frozenset(p.lower() for p in places),
    )
