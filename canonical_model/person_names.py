"""Names as India writes them: one comparable Latin form, its words, and their sound keys.

The same man is "Ramesh Kumar" in an FIR typed in English, "रमेश कुमार" in one typed in
Hindi, "Shri R. Kumar" on a charge sheet and "Kumar Ramesh" in a prison register. The person
index compares names only after :func:`normalise_name` has brought each to one form:

* every Indic script :mod:`indic_transliteration` reads (Devanagari, Bengali, Gurmukhi,
  Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam) is transliterated to plain Latin letters
  the way names are spelt in India ("ramesh", not the scholarly "rameśa"): the inherent vowel
  a Hindi speaker does not say is dropped (see :func:`_delete_schwas`), long vowels fold to
  short ones, "श" and "ष" become "sh", "च" becomes "ch";
* accents are folded, case is lowered, punctuation becomes a space;
* titles in front of a name ("Shri", "Smt.", "Late", "श्री", "स्व.") and respect words after it
  ("ji") are dropped, common abbreviations are written out ("Mohd." -> "mohammad",
  "Kr." -> "kumar");
* what follows a relationship marker ("S/o", "W/o", "son of", "पुत्र") is a relative's name
  and is cut off; what follows an alias marker ("@", "urf") is an alias
  (:func:`name_and_aliases`).

Word order is kept; :func:`name_key` sorts the words so that surname-first and given-name-first
compare equal. :func:`phonetic_token` folds the spellings transliteration produces
differently ("Shreekant", "Srikant", "Shrikant"; "Lakshmi", "Laxmi") to one sound key.

The titles, abbreviations and markers are data: ``canonical_model/data/person_names.json``.
Nothing here reads or writes anything but that packaged file; every function is pure and
cached per string, because the matcher calls them on millions of pairs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from indic_transliteration import sanscript

#: Latin letters, accented ones and combining accents: one Latin word is a run of these.
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f"
#: The Indic blocks from Devanagari to Malayalam, without the Devanagari dandas and digits
#: (digits of every script are turned into dots first, see :func:`_split`).
_INDIC = "\u0900-\u0963\u0971-\u0d7f"
_TOKEN = re.compile(rf"([{_LATIN}]+|[{_INDIC}]+)(\s*\.)?")
_NOT_A_LETTER_BEFORE = rf"(?<![{_LATIN}{_INDIC}])"
_NOT_A_LETTER_AFTER = rf"(?![{_LATIN}{_INDIC}])"
#: Zero-width characters typing tools leave inside Indic words; they carry no sound.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
#: Hindi records abbreviate with a zero ("मो0", "डा0") or the Devanagari abbreviation sign.
_ABBREVIATION_MARKS = re.compile(r"\d|[\u0964\u0965\u0970]")
#: "S/0" is "S/o" typed with a zero.
_SLASH_ZERO = re.compile(r"(?i)(?<![a-z])(wd|[sdwhc])\s*/\s*0")

#: (first code point, last code point, sanscript scheme, whether the inherent vowel is silent
#: at the end of a word). In the northern scripts "रमेश" is said "Ramesh"; in the Dravidian
#: ones a word that ends in a consonant is written with an explicit virama, so there is
#: nothing to delete.
_SCRIPTS: tuple[tuple[int, int, str, bool], ...] = (
    (0x0900, 0x097F, sanscript.DEVANAGARI, True),
    (0x0980, 0x09FF, sanscript.BENGALI, True),
    (0x0A00, 0x0A7F, sanscript.GURMUKHI, True),
    (0x0A80, 0x0AFF, sanscript.GUJARATI, True),
    (0x0B00, 0x0B7F, sanscript.ORIYA, True),
    (0x0B80, 0x0BFF, sanscript.TAMIL, False),
    (0x0C00, 0x0C7F, sanscript.TELUGU, False),
    (0x0C80, 0x0CFF, sanscript.KANNADA, False),
    (0x0D00, 0x0D7F, sanscript.MALAYALAM, False),
)

# Devanagari letter classes for the schwa rules.
_CONSONANTS = frozenset(
    chr(c) for c in [*range(0x0915, 0x093A), *range(0x0958, 0x0960), *range(0x0978, 0x0980)]
)
_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_VOWEL_SIGNS = frozenset(
    chr(c)
    for c in [
        0x093A,
        0x093B,
        *range(0x093E, 0x094D),
        0x094E,
        0x094F,
        *range(0x0955, 0x0958),
        0x0962,
        0x0963,
    ]
)
_INDEPENDENT_VOWELS = frozenset(
    chr(c) for c in [*range(0x0904, 0x0915), 0x0960, 0x0961, *range(0x0972, 0x0978)]
)
#: Candrabindu, anusvara and visarga close a syllable like a consonant.
_CODAS = frozenset("\u0900\u0901\u0902\u0903")
#: A final inherent vowel after a conjunct is said ("मिश्र" Mishra, "चन्द्र" Chandra) unless the
#: conjunct starts with a nasal or with ra ("आनन्द" Anand, "पार्थ" Parth).
_SILENT_AFTER = frozenset("ङञणनमर")
#: The second consonants of the conjuncts that can open a syllable: pr, kr, ky, gv, pl...
_SYLLABLE_OPENING_SECOND = frozenset("रयलव")

#: Sanscript's ISO 15919 output folded to the plain spelling names are written in.
_ISO_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("r\u0325\u0304", "ri"),  # ॠ
    ("r\u0325", "ri"),  # ऋ: "kṛṣṇa" is written "krishna"
    ("l\u0325\u0304", "li"),
    ("l\u0325", "li"),
    ("j\u00f1", "gy"),  # ज्ञ is said "gy" in Hindi: "Gyanesh"
    ("ch", "\x00"),  # छ, kept apart from च for the next two steps
    ("c", "ch"),  # च
    ("\x00", "chh"),
    ("\u015b", "sh"),  # ś
    ("\u1e63", "sh"),  # ṣ
    ("m\u0310", "n"),  # candrabindu
    ("\u1e25", ""),  # visarga: not written in Latin names
    ("\u0121", "gh"),  # ग़: "Ghulam"
)
#: "सिंह" is written "Singh": an anusvara before a word-final ha.
_ANUSVARA_BEFORE_FINAL_HA = re.compile("\u1e41h$")
#: An anusvara before a labial or at the end of a word is an m ("सम्पत"/"संपत" Sampat; Tamil
#: "செல்வம்" Selvam, which sanscript writes with a final anusvara), elsewhere an n.
_ANUSVARA_BEFORE_LABIAL = re.compile("\u1e41(?=[pbm]|$)")
_NOT_ASCII_LETTERS = re.compile("[^a-z]+")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The lists of ``data/person_names.json``, ready to match."""

    honorifics: frozenset[str]
    trailing_honorifics: frozenset[str]
    abbreviations: Mapping[str, str]
    dotted_abbreviations: Mapping[str, str]
    devanagari_abbreviations: Mapping[str, str]
    devanagari_initials: Mapping[str, str]
    relationship: re.Pattern[str]
    alias: re.Pattern[str]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(section: Mapping[str, Any]) -> list[str]:
    return [_nfc(w).lower() for key in ("latin", "devanagari") for w in section.get(key, [])]


def _canonical(section: Mapping[str, Any]) -> dict[str, str]:
    return {
        _nfc(spelling).lower(): canonical
        for canonical, spellings in section.items()
        if not canonical.startswith("_")
        for spelling in spellings
    }


def _marker_pattern(markers: Iterable[str]) -> str:
    """One alternation of the markers, a '/' with optional spaces around it, words separated
    by any space, longest first so that "wd/o" wins over "d/o"."""
    alternatives = []
    for marker in sorted(markers, key=len, reverse=True):
        words = [re.escape(w).replace("/", r"\s*/\s*") for w in marker.split()]
        alternatives.append(r"\s+".join(words))
    return "|".join(alternatives)


@cache
def _vocabulary() -> _Vocabulary:
    raw = (
        resources.files("canonical_model").joinpath("data", "person_names.json").read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(raw)
    markers = _marker_pattern(_words(data["relationship_markers"]))
    aliases = [m for m in _words(data["alias_markers"]) if m != "@"]
    return _Vocabulary(
        honorifics=frozenset(_words(data["honorifics"])),
        trailing_honorifics=frozenset(_words(data["trailing_honorifics"])),
        abbreviations=_canonical(data["abbreviations"]),
        dotted_abbreviations=_canonical(data["dotted_abbreviations"]),
        devanagari_abbreviations=_canonical(data["devanagari_abbreviations"]),
        devanagari_initials=_canonical(data["devanagari_initials"]),
        relationship=re.compile(
            rf"{_NOT_A_LETTER_BEFORE}(?:{markers}){_NOT_A_LETTER_AFTER}", re.IGNORECASE
        ),
        alias=re.compile(
            rf"@|{_NOT_A_LETTER_BEFORE}(?:{_marker_pattern(aliases)}){_NOT_A_LETTER_AFTER}",
            re.IGNORECASE,
        ),
    )


def _delete_schwas(word: str) -> str:
    """A Devanagari word with a virama written where Hindi does not say the inherent vowel.

    Transliteration writes every consonant without a vowel sign with its inherent "a":
    "रमेश" becomes "ramesha", "इरफ़ान" "irafana". Hindi does not say it here (after Ohala's
    rule, schwa -> nothing / VC_CV, with the word-final case):

    * at the end of a word of more than one syllable ("ramesh", "ram"), except after a
      conjunct not starting with a nasal or ra ("mishra", "chandra", "krishna");
    * inside a word between a vowel and consonant on its left and a consonant (or a conjunct
      that can open a syllable, like "pr") and vowel on its right ("irfan", "kamlesh",
      "mamta", "ramprasad"); where two such vowels follow each other the word is usually a
      compound whose boundary these rules cannot see ("ram-charan", "amar-nath"), so both
      are kept rather than guessing the wrong one ("ramacharan"; the sound key of
      :func:`phonetic_token` does not care).
    """
    pieces: list[str] = []
    kinds: list[str] = []  # C consonant, V vowel, A inherent vowel, N coda, X anything else
    owners: list[int] = []  # the piece each phoneme belongs to
    letters: list[str] = []  # the consonant of a C phoneme
    i, n = 0, len(word)
    while i < n:
        char = word[i]
        if char in _CONSONANTS:
            end = i + 2 if i + 1 < n and word[i + 1] == _NUKTA else i + 1
            kinds.append("C")
            owners.append(len(pieces))
            letters.append(char)
            follower = word[end] if end < n else ""
            if follower == _VIRAMA or follower in _VOWEL_SIGNS:
                if follower in _VOWEL_SIGNS:
                    kinds.append("V")
                    owners.append(len(pieces))
                    letters.append("")
                end += 1
            else:
                kinds.append("A")
                owners.append(len(pieces))
                letters.append("")
            pieces.append(word[i:end])
            i = end
            continue
        kinds.append("V" if char in _INDEPENDENT_VOWELS else "N" if char in _CODAS else "X")
        owners.append(len(pieces))
        letters.append("")
        pieces.append(char)
        i += 1
    if sum(kind in "VA" for kind in kinds) < 2:
        return word
    last = len(kinds) - 1
    deleted: list[int] = []
    if kinds[last] == "A":
        after_conjunct = last >= 2 and kinds[last - 2] == "C"
        if (
            not after_conjunct
            or letters[last - 2] in _SILENT_AFTER
            or letters[last - 2] == letters[last - 1]  # a doubled consonant: "भट्ट" Bhatt
        ):
            kinds[last] = "D"
            deleted.append(last)
    # Each deletable inherent vowel, with the vowel that follows the consonants after it.
    candidates: dict[int, int] = {}
    for k in range(2, last - 1):
        if kinds[k] != "A" or kinds[k - 2] not in ("V", "A"):
            continue
        right = k + 1
        while right <= last and kinds[right] == "C":
            right += 1
        if right > last or kinds[right] not in ("V", "A"):
            continue
        consonants = right - k - 1
        # Two consonants only where they can begin a syllable ("प्र" in "रामप्रसाद"); before
        # a doubled one ("मुहम्मद") the vowel closes its own syllable and stays.
        if consonants == 1 or (
            consonants == 2
            and letters[k + 2] in _SYLLABLE_OPENING_SECOND
            and letters[k + 1] != letters[k + 2]
        ):
            candidates[k] = right
    deleted += [
        k for k, right in candidates.items() if right not in candidates and k - 2 not in candidates
    ]
    if not deleted:
        return word
    for k in deleted:
        pieces[owners[k]] += _VIRAMA
    return "".join(pieces)


def _iso_to_ascii(iso: str) -> str:
    """ISO 15919 Latin folded to the plain lower-case letters Indian names are written in."""
    text = _nfc(iso).lower()
    for scholarly, plain in _ISO_SPELLINGS:
        text = text.replace(scholarly, plain)
    text = _ANUSVARA_BEFORE_FINAL_HA.sub("ngh", text)
    text = _ANUSVARA_BEFORE_LABIAL.sub("m", text).replace("\u1e41", "n")
    return _fold_latin(text)


def _script_of(word: str) -> tuple[str, bool] | None:
    code = ord(word[0])
    for first, last, scheme, silent_final_vowel in _SCRIPTS:
        if first <= code <= last:
            return scheme, silent_final_vowel
    return None


@lru_cache(maxsize=1 << 18)
def _indic_to_latin(word: str) -> str:
    """One Indic word in plain Latin letters ("रमेश" -> "ramesh"). Cached per word: sanscript
    takes some 50 microseconds a word (twice that from a script other than Devanagari), and
    the words of names repeat far more than whole names do."""
    script = _script_of(word)
    if script is None:
        return ""
    scheme, silent_final_vowel = script
    devanagari = word
    if scheme != sanscript.DEVANAGARI:
        devanagari = sanscript.transliterate(word, scheme, sanscript.DEVANAGARI)
        # Sanscript leaves Gurmukhi's nukta as it is: "ਸ਼" comes out as स + U+0A3C.
        devanagari = devanagari.replace("\u0938\u0a3c", "\u0936").replace("\u0a3c", _NUKTA).strip()
    if scheme == sanscript.TAMIL:
        devanagari = _tamil_stops(devanagari)
    if silent_final_vowel:
        devanagari = _delete_schwas(devanagari)
    return _iso_to_ascii(sanscript.transliterate(devanagari, sanscript.DEVANAGARI, sanscript.ISO))


#: Tamil writes k and g, ch/s and j, t and d, th and dh, p and b with one letter each;
#: sanscript gives the voiced aspirate (க -> घ). Which one is said depends on the place.
_TAMIL_STOPS = {"घ": ("क", "ग"), "झ": ("स", "ज"), "ढ": ("ट", "ड"), "ध": ("त", "द"), "भ": ("प", "ब")}


def _tamil_stops(devanagari: str) -> str:
    """A Tamil stop as names spell it: voiceless at the start of a word and when doubled
    ("Kumar", "Selvam", "Muthu"), voiced elsewhere ("Murugan", "Sundaram", "Anbu")."""
    out: list[str] = []
    for i, char in enumerate(devanagari):
        if char in _TAMIL_STOPS:
            voiceless, voiced = _TAMIL_STOPS[char]
            doubled = i >= 2 and devanagari[i - 1] == _VIRAMA and devanagari[i - 2] == char
            char = voiceless if i == 0 or doubled else voiced
            if doubled:
                out[-2] = voiceless
        out.append(char)
    return "".join(out)


def _fold_latin(word: str) -> str:
    """Accents dropped, lower case, ASCII letters only."""
    decomposed = unicodedata.normalize("NFKD", word)
    return _NOT_ASCII_LETTERS.sub("", decomposed.lower())


def _normalise_part(text: str) -> str:
    """One name (no relative, no alias) in its comparable form."""
    vocabulary = _vocabulary()
    words: list[str] = []
    for match in _TOKEN.finditer(text):
        raw, dotted = match.group(1), match.group(2) is not None
        indic = "\u0900" <= raw[0] <= "\u0d7f"
        word = raw.lower()
        if indic and word in vocabulary.devanagari_abbreviations:
            words.append(vocabulary.devanagari_abbreviations[word])
            continue
        if indic and dotted and word in vocabulary.devanagari_initials:
            # "आर." is how a Hindi record writes the initial R: the letter, not "aar".
            words.append(vocabulary.devanagari_initials[word])
            continue
        if indic and (word in vocabulary.honorifics or word in vocabulary.trailing_honorifics):
            words.append(word)  # still Devanagari: dropped below if it leads or trails
            continue
        latin = _indic_to_latin(raw) if indic else _fold_latin(raw)
        if not latin:
            continue
        if dotted and latin in vocabulary.dotted_abbreviations:
            latin = vocabulary.dotted_abbreviations[latin]
        words.append(vocabulary.abbreviations.get(latin, latin))
    # Titles lead and respect words trail; a name that is nothing but one keeps it.
    start, end = 0, len(words)
    while end - start > 1 and words[start] in vocabulary.honorifics:
        start += 1
    while end - start > 1 and words[end - 1] in vocabulary.trailing_honorifics:
        end -= 1
    kept = words[start:end]
    # A lone title left in Devanagari (the whole name was "श्री") is transliterated after all.
    return " ".join(_indic_to_latin(w) if "\u0900" <= w[0] <= "\u0d7f" else w for w in kept)


@lru_cache(maxsize=1 << 18)
def name_and_aliases(text: str) -> tuple[str, tuple[str, ...]]:
    """The normalised name and the normalised aliases written with it.

    "Ramesh Kumar @ Pappu urf Ramu S/o Suresh" gives ``("ramesh kumar", ("pappu", "ramu"))``:
    the relative's name after the relationship marker is dropped, each alias is normalised
    like the name. Aliases equal to the name, empty or repeated are left out.
    """
    vocabulary = _vocabulary()
    cleaned = _INVISIBLE.sub("", _nfc(text))
    cleaned = _SLASH_ZERO.sub(r"\1/o", cleaned)
    relative = vocabulary.relationship.search(cleaned)
    if relative is not None:
        cleaned = cleaned[: relative.start()]
    cleaned = _ABBREVIATION_MARKS.sub(".", cleaned)
    name, *others = (_normalise_part(part) for part in vocabulary.alias.split(cleaned))
    aliases: list[str] = []
    for alias in others:
        if alias and alias != name and alias not in aliases:
            aliases.append(alias)
    return name, tuple(aliases)


def normalise_name(text: str) -> str:
    """One comparable Latin form of a person's name, its words in the order written.

    "Shri R. Kumar", "श्री रमेश कुमार" and "Mohd. Irfan S/o Salim" become "r kumar",
    "ramesh kumar" and "mohammad irfan". Single letters stay as initials; an empty or
    unreadable name gives "". Applying it to its own output changes nothing.
    """
    return name_and_aliases(text)[0]


@lru_cache(maxsize=1 << 18)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of the normalised name, in order."""
    return tuple(normalise_name(text).split())


# The spelling folds of phonetic_token, in order: longer spellings before their parts.
_SOUND_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Gujarati respect suffixes are not part of the name: "Maheshbhai", "Hetalben".
        ("^(.{3,})bhai$", r"\1"),
        ("^(.{3,})ben$", r"\1"),
        ("nh$", "ng"),  # सिंह: "Singh", Gujarati "Sinh"
        ("^deo", "dev"),  # देव: "Deoshankar", "Devshankar"
        ("ksh|x", "ks"),  # क्ष: "Lakshmi", "Laxmi"
        ("dny|^jn", "gy"),  # ज्ञ: Marathi "Dnyaneshwar", "Jnanesh", Hindi "Gyanesh"
        ("chh?", "\x00"),  # च and छ, kept apart from a lone c for a moment
        ("ck|c|q", "k"),
        ("\x00", "c"),
        ("sh+", "s"),  # श/ष/स: "Shrikant", "Srikant"
        ("aa", "a"),
        ("ee|ii", "i"),
        ("oo|uu", "u"),
        ("ou|ow(?![aeiou])", "au"),  # "Choudhary", "Chowdhury", "Chaudhary"
        ("ph", "f"),
        ("bh", "b"),
        ("dh", "d"),
        ("th", "t"),
        ("kh", "k"),
        ("gh", "g"),
        ("jh", "j"),
        # ऐ and a final य are written ai, ay, ei or e: "Shaikh", "Shekh", "Sheikh"; "Sanjay",
        # "Sanjai"; "Pandey", "Pande".
        ("ai|ei|[ae]y(?=a?$|[^aeiou])", "e"),
        # व is written w or v, and b in the east (Bengali and Oriya have no v): "Vishwas",
        # "Vishvas"; "Vikas", "Bikash"; "Devi", "Debi".
        ("w|v", "b"),
        ("z", "j"),  # ज़ is often written ज: "Zakir", "Jakir"
        ("(?<=[^aeiou])y(?![aeiou])", "i"),  # "Chaudhary", "Chaudhari"; "Unnylal", "Unnilal"
        ("(?<=..)ore$", "or"),  # a silent final e: "Kishore", "Kishor"; "Thakore", "Thakor"
        ("(?<=[^aeiou])a[ou]$", "ab"),  # राव: "Rao", "Row" (ow is au by now), "Rav" (v is b)
        ("iy(?=[aeiou])", "i"),  # "Priya", "Pria"
        (r"(.)\1+", r"\1"),  # "Mohammad", "Mohamad"
    )
)
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1 << 18)
def phonetic_token(token: str) -> str:
    """A sound key for one word of an Indian name written in Latin letters.

    Spellings that transliteration, dialect or habit produce differently get the same key:
    aspirates lose their h (bh, dh, th, kh, gh, jh, ph -> f), sh and s are one sound, w is v,
    z is j, q and ck are k, x and ksh are ks, long vowels are short (aa, ee, ii, oo, uu), ou
    and ow are au, double letters are single; a trailing h goes, and so does a final a in a
    word of more than three letters ("Ramesha" is "Ramesh", "Krishna" is "Krishn"). Then,
    after the first syllable, an a between two consonants is dropped: whether it is written
    is the whim of the schwa ("Kamalesh", "Kamlesh"; "Irafan", "Irfan"; "Chaudhari",
    "Chaudhri").

    Metaphone is not used: it was made for English and drops every vowel after the first,
    which makes "Sunil" and "Sonal", or "Kamal" and "Komal", one name. An initial (one letter)
    is its own key.
    """
    if len(token) <= 1:
        return token
    key = token
    for pattern, replacement in _SOUND_FOLDS:
        key = pattern.sub(replacement, key)
    if len(key) > 3 and key.endswith("a"):
        key = key[:-1]
        if key[-1] == "y" and key[-2] not in _VOWELS:
            key = key[:-1] + "i"  # मौर्य: "Maurya", "Maury", "Mauri"
    if len(key) > 1 and key.endswith("h"):
        key = key[:-1]
    # Past the first vowel, drop each a that sits between two consonants.
    first_vowel = next((i for i, c in enumerate(key) if c in _VOWELS), len(key))
    start = first_vowel
    while start < len(key) and key[start] in _VOWELS:
        start += 1
    kept = list(key[:start])
    for i in range(start, len(key)):
        char = key[i]
        if (
            char == "a"
            and i + 1 < len(key)
            and key[i - 1] not in _VOWELS
            and key[i + 1] not in _VOWELS
        ):
            continue
        if kept and kept[-1] == char:
            continue
        kept.append(char)
    return "".join(kept)


@cache
def district_names() -> Mapping[str, str]:
    """Each other name of a renamed district (lower case), mapped to its current name: the
    ``district_names`` of ``data/person_names.json``."""
    raw = (
        resources.files("canonical_model").joinpath("data", "person_names.json").read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(raw)
    return {
        other.lower(): current.lower()
        for current, others in data["district_names"].items()
        if not current.startswith("_")
        for other in others
    }


def name_key(text: str) -> str:
    """The normalised words sorted and joined by spaces: "Jadhav Ramesh" and "Ramesh Jadhav"
    have one key."""
    return " ".join(sorted(name_tokens(text)))


def phonetic_key(text: str) -> str:
    """The sound keys of the name's words, initials left out, sorted and joined by spaces:
    "रमेश कुमार", "Ramesha Kumar" and "Kumar Ramesh" have one key."""
    return " ".join(sorted(phonetic_token(t) for t in name_tokens(text) if len(t) > 1))
