"""Names as India writes them: one comparable form from Devanagari and Latin spellings, titles
and relatives cut off, abbreviations written out, and sound keys that fold spelling habits."""

from __future__ import annotations

import json
from importlib import resources

import jellyfish
import pytest

from canonical_model.person_names import (
    name_and_aliases,
    name_key,
    name_tokens,
    normalise_name,
    phonetic_key,
    phonetic_token,
)


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("रमेश कुमार", "Ramesh Kumar"),
        ("मोहम्मद इरफ़ान", "Mohd. Irfan"),
        ("मो0 इरफ़ान", "Mohd Irfan"),
        ("सुरेश यादव", "Suresh Yadav"),
        ("श्रीमती सुनीता देवी", "Smt. Sunita Devi"),
        ("राम सिंह", "Ram Singh"),
        ("यादव सुरेश", "Suresh Yadav"),  # surname first in one, given name first in the other
        ("एस. पाल", "S. Pal"),  # an initial: the English letter's name and a dot
        ("आर. के. जाधव", "R. K. Jadhav"),
    ],
)
def test_devanagari_and_latin_spellings_have_one_name_key(devanagari: str, latin: str) -> None:
    assert name_key(devanagari) == name_key(latin)
    assert name_key(devanagari) != ""


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("प्रदीप यादव", "Pradeep Yadav"),  # ई is i; Latin writes ee
        ("लक्ष्मी देवी", "Laxmi Devi"),
        ("श्रीकांत पाटील", "Shreekant Patil"),
        ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "Harpreet Singh"),  # Gurmukhi
        ("রমেশ কুমার", "Ramesh Kumar"),  # Bengali
        ("రమేష్ కుమార్", "Ramesh Kumar"),  # Telugu
        ("முருகன்", "Murugan"),  # Tamil: a voiced stop between vowels
        ("कृष्ण मिश्र", "Krishna Mishra"),
    ],
)
def test_other_spellings_meet_at_the_phonetic_key(written: str, latin: str) -> None:
    assert phonetic_key(written) == phonetic_key(latin)
    assert phonetic_key(written) != ""


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("राम", "ram"),  # the final inherent vowel is not said
        ("सिंह", "singh"),  # an anusvara before a final ha: Singh
        ("रमेश", "ramesh"),
        ("इरफ़ान", "irfan"),  # a medial schwa between VC and CV goes
        ("कमलेश", "kamlesh"),
        ("ममता", "mamta"),
        ("रामप्रसाद", "ramprasad"),  # ... also before a conjunct
        ("मिश्र", "mishra"),  # kept after a conjunct
        ("कृष्ण", "krishna"),
        ("आनन्द", "anand"),  # not after a conjunct starting with a nasal
        ("भट्ट", "bhatt"),  # nor after a doubled consonant
        ("गणपति", "ganapati"),  # two deletable vowels in a row: both kept, no guessing
        ("लक्ष्मी", "lakshmi"),
        ("श्रीकांत", "shrikant"),
        ("संपत", "sampat"),  # an anusvara before a labial is m
        ("संजय", "sanjay"),
        ("चौधरी", "chaudhri"),
        ("ज्ञानेश्वर", "gyaneshvar"),
        ("ग़ुलाम", "ghulam"),
        ("செல்வம்", "selvam"),  # Tamil: voiceless at the start, final m
    ],
)
def test_transliteration_writes_names_as_they_are_said(devanagari: str, latin: str) -> None:
    assert normalise_name(devanagari) == latin


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Shri Ramesh Kumar", "ramesh kumar"),
        ("Sri Ramesh Kumar", "ramesh kumar"),
        ("Smt. Sunita Devi", "sunita devi"),
        ("Late Sh. Ram Prasad", "ram prasad"),
        ("Dr. R. Jadhav", "r jadhav"),
        ("Mr Ramesh", "ramesh"),
        ("श्री रमेश कुमार", "ramesh kumar"),
        ("स्व. श्री रामप्रसाद", "ramprasad"),
        ("कुमारी सुनीता", "sunita"),
        ("Ramesh ji", "ramesh"),
        ("रमेश जी", "ramesh"),
        # Titles only lead: Kumari after a name is part of it (as in Bihar), not a title.
        ("Kumari Sunita", "sunita"),
        ("Sunita Kumari", "sunita kumari"),
        # A name that is nothing but a title keeps it rather than becoming empty.
        ("Shri", "shri"),
    ],
)
def test_titles_are_dropped_from_the_front(written: str, normalised: str) -> None:
    assert normalise_name(written) == normalised


@pytest.mark.parametrize(
    "written",
    [
        "Mohd Irfan",
        "Mohd. Irfan",
        "Md. Irfan",
        "MD IRFAN",
        "Muhd Irfan",
        "Mohammed Irfan",
        "Muhammad Irfan",
        "Mohamed Irfan",
        "Mohammad Irfan",
        "Mo. Irfan",
        "मो. इरफ़ान",
        "मुहम्मद इरफ़ान",
    ],
)
def test_mohammad_has_one_spelling(written: str) -> None:
    assert normalise_name(written) == "mohammad irfan"


def test_other_abbreviations_are_written_out() -> None:
    assert normalise_name("Ram Kr. Verma") == "ram kumar verma"
    assert normalise_name("Shiv Pd Gupta") == "shiv prasad gupta"
    # "Mo" is an abbreviation only with its dot; "Ch" is left alone (Chand? Chandra?).
    assert normalise_name("Mo Irfan") == "mo irfan"
    assert normalise_name("Ch. Ram") == "ch ram"


@pytest.mark.parametrize(
    "written",
    [
        "Ramesh Kumar S/o Suresh Kumar",
        "Ramesh Kumar s / o Suresh",
        "Ramesh Kumar S/0 Suresh",
        "Ramesh Kumar son of Suresh",
        "Ramesh Kumar, S/O Late Suresh",
        "रमेश कुमार पुत्र सुरेश",
        "रमेश कुमार वल्द सुरेश",
    ],
)
def test_a_relative_s_name_is_cut_off(written: str) -> None:
    assert normalise_name(written) == "ramesh kumar"


def test_a_wife_and_a_daughter_are_cut_at_their_markers() -> None:
    assert normalise_name("Sunita W/o Ramesh") == "sunita"
    assert normalise_name("Priya D/O Ramesh") == "priya"
    # "so" alone is not a marker.
    assert normalise_name("Ramesh So") == "ramesh so"


def test_aliases_are_split_from_the_name() -> None:
    assert name_and_aliases("Ramesh Kumar @ Pappu urf Ramu S/o Suresh") == (
        "ramesh kumar",
        ("pappu", "ramu"),
    )
    assert name_and_aliases("सुनील उर्फ़ पप्पू") == ("sunil", ("pappu",))
    assert name_and_aliases("Ramesh alias Ramesh") == ("ramesh", ())
    assert normalise_name("Ramesh@Pappu") == "ramesh"


def test_initials_punctuation_accents_and_case() -> None:
    assert normalise_name("R. Jadhav") == "r jadhav"
    assert normalise_name("R.K. Jadhav") == "r k jadhav"
    assert normalise_name("  RAMESH   kumar.  ") == "ramesh kumar"
    assert normalise_name("José D'Souza") == "jose d souza"
    assert name_tokens("Jadhav, Ramesh") == ("jadhav", "ramesh")


@pytest.mark.parametrize("written", ["", "   ", "...", "123", "S/o Suresh"])
def test_nothing_readable_is_empty(written: str) -> None:
    assert normalise_name(written) == ""
    assert name_tokens(written) == ()
    assert phonetic_key(written) == ""


@pytest.mark.parametrize(
    "written",
    [
        "Shri Ramesh Kumar S/o Suresh",
        "मो0 इरफ़ान",
        "स्व. श्री रामप्रसाद",
        "Kumari Sunita",
        "Ramesh ji",
        "R.K. Jadhav",
        "ਹਰਪ੍ਰੀਤ ਸਿੰਘ",
        "Mo. Irfan",
    ],
)
def test_normalising_twice_changes_nothing(written: str) -> None:
    once = normalise_name(written)
    assert normalise_name(once) == once


def test_name_key_ignores_word_order() -> None:
    assert name_key("Jadhav Ramesh") == name_key("Ramesh Jadhav") == "jadhav ramesh"
    assert name_key("Ramesh Jadhav") != name_key("Ramesh Pawar")


@pytest.mark.parametrize(
    "spellings",
    [
        ["Shrikant", "Srikant", "Shreekant", "Shrikanth"],
        ["Laxmi", "Lakshmi"],
        ["Ramesh", "Ramesha"],
        ["Krishna", "Krishn"],
        ["Chaudhary", "Choudhary", "Chaudhari", "Chaudhri"],
        ["Jadhav", "Jadav"],
        ["Vishwas", "Vishvas"],
        ["Pandey", "Pande"],
        ["Zakir", "Jakir"],
        ["Kamlesh", "Kamalesh"],
        ["Irfan", "Irafan"],
        ["Mohammad", "Mohamad"],
        ["Priya", "Pria"],
        ["Dnyaneshwar", "Gyaneshwar"],
        ["Qureshi", "Kureshi"],
        ["Shaikh", "Shekh", "Sheikh"],
        ["Sanjay", "Sanjai", "Sanjaya"],
        ["Singh", "Sinh"],
        ["Vikas", "Bikash"],
        ["Devi", "Debi"],
        ["Mahesh", "Maheshbhai"],
        ["Hetal", "Hetalben"],
        ["Deoprasad", "Devprasad"],
        ["Kishore", "Kishor"],
        ["Rao", "Row", "राव"],
        ["Maurya", "मौर्य"],
        ["Unnilal", "Unnylal"],
    ],
)
def test_spelling_variants_have_one_sound(spellings: list[str]) -> None:
    keys = {phonetic_token(normalise_name(s)) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ramesh", "Suresh"),
        ("Ramesh", "Rajesh"),
        ("Arif", "Asif"),
        ("Sunil", "Sonal"),
        ("Kamal", "Komal"),
        ("Singh", "Sinha"),
        ("Yadav", "Jadhav"),
    ],
)
def test_different_names_sound_different(one: str, other: str) -> None:
    assert phonetic_token(one.lower()) != phonetic_token(other.lower())


def test_metaphone_would_merge_names_the_sound_key_keeps_apart() -> None:
    """Why phonetic_token does not end in Metaphone: it drops the vowels that tell these
    apart."""
    for one, other in [("Sunil", "Sonal"), ("Kamal", "Komal")]:
        assert jellyfish.metaphone(one) == jellyfish.metaphone(other)
        assert phonetic_token(one.lower()) != phonetic_token(other.lower())


def test_initials_are_their_own_sound_and_left_out_of_the_phonetic_key() -> None:
    assert phonetic_token("r") == "r"
    assert phonetic_key("R. K. Jadhav") == phonetic_key("Jadhav") == "jadb"
    assert phonetic_key("Kumar Ramesh") == phonetic_key("रमेश कुमार")


def test_the_word_lists_say_where_they_come_from() -> None:
    data = json.loads(
        resources.files("canonical_model")
        .joinpath("data", "person_names.json")
        .read_text(encoding="utf-8")
    )
    assert data["sources"] and all(isinstance(s, str) and s for s in data["sources"])
    assert "mohd" in data["abbreviations"]["mohammad"]
    assert "श्री" in data["honorifics"]["devanagari"]
