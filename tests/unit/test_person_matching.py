"""The person comparisons: their levels on names as India writes them and on the other fields,
the Splink dicts built from them, the Fellegi-Sunter arithmetic of the model, and the same
levels from the DuckDB functions Splink calls as from Python."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import duckdb
import pytest
from rapidfuzz import fuzz

from canonical_model.person_matching import (
    COMPARISONS,
    NULL_LEVEL,
    RECORD_COLUMNS,
    ModelParameters,
    best_name_level,
    birth_year_level,
    comparison_levels,
    comparison_named,
    father_level,
    gender_level,
    identifier_level,
    name_level,
    place_level,
    relative_level,
    splink_comparisons,
)
from canonical_model.person_names import normalise_name
from gateway.services.persons.udfs import register_udfs


def level(a: str, b: str) -> int:
    return name_level(normalise_name(a), normalise_name(b))


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Jadhav Ramesh", "Ramesh Jadhav", 4),  # surname first
        ("रमेश कुमार", "Ramesh Kumar", 4),
        ("मोहम्मद इरफ़ान", "Mohd. Irfan", 4),
        ("Shri Ramesh Kumar", "Ramesh Kumar S/o Suresh", 4),
        ("R. Jadhav", "Ramesh Jadhav", 3),  # an initial
        ("R. K. Jadhav", "Ramesh Kumar Jadhav", 3),
        ("Jadhav R.", "Ramesh Jadhav", 3),
        ("Ramesha Jadhav", "Ramesh Jadhav", 3),  # the same sound
        ("Shrikant Patil", "Srikant Patil", 3),
        ("Shreekant Patil", "Shrikant Patil", 3),
        ("Laxmi Devi", "Lakshmi Devi", 3),
        ("Pradeep Yadav", "प्रदीप यादव", 3),
        ("Ramkumar", "Ram Kumar", 3),  # joined or split
        ("Singh Deoshankar", "Dev Shankar Singh", 3),  # joined in one, spaced in the other
        ("Ved Shankar Sharma", "Vedshanker Sharma", 2),  # ... and other vowels
        ("आर. जाधव", "R. Jadhav", 4),  # a Hindi record's initial is the letter's name
        ("एम. मिश्रा", "Meena Mishra", 3),
        ("Rashid Shaikh", "Rashid Shekh", 3),
        ("Jaspreet Sinh", "Jaspreet Singh", 3),
        ("Maheshbhai Rathod", "Mahesh Rathod", 3),  # a Gujarati respect suffix
        ("Rmesh Jadhav", "Ramesh Jadhav", 2),  # a vowel dropped
        ("Ramehs Jadhav", "Ramesh Jadhav", 2),  # two letters swapped
        ("Chowdhury", "Chaudhary", 2),  # other vowels
        ("Mahedra Singh", "Mahendra Singh", 2),  # a consonant dropped from a long word
        ("Ramesh Jadhav", "Ramesh Kumar Jadhav", 1),  # one within the other
        ("R. K. Jadhav", "Ramesh Jadhav", 1),
        ("Ramesh Kumar", "Suresh Kumar", 0),  # a shared surname only
        ("Ramesh Kumar", "Rajesh Kumar", 0),
        ("Ram Kumar", "Raj Kumar", 0),
        ("Mohammad Arif", "Mohammad Asif", 0),
        ("Shiv Verma", "Shiv Varma", 1),  # alike: the same consonants, a vowel changed
        ("Kavita Devi", "Kavia Devi", 1),  # ... or a consonant dropped
        ("Amit Shah", "Amrit Shah", 1),
        ("Sunil", "Sonal", 1),
        ("Ram Kumar", "Shyam Kumar", 0),
        ("R. Jadhav", "S. Jadhav", 0),
        ("R. K.", "R. K.", 4),
        ("R. K.", "Ramesh Kumar", 0),  # initials alone do not make a name agree
    ],
)
def test_name_levels(a: str, b: str, expected: int) -> None:
    assert level(a, b) == expected
    assert level(b, a) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        ["Ramesh", "Rmesh", "Ramesha"],
        ["Shrikant", "Srikant", "Shreekant"],
        ["Laxmi", "Lakshmi"],
    ],
)
def test_spelling_variants_land_on_2_or_3(spellings: list[str]) -> None:
    for a, b in itertools.combinations(spellings, 2):
        assert level(a, b) in (2, 3), (a, b)


def test_whole_string_ratio_would_merge_two_people_the_word_pairing_keeps_apart() -> None:
    """Why level 2 pairs words rather than scoring the whole string: a long shared word
    ("Mohammad", "Kumar") carries any two names over a ratio threshold."""
    assert fuzz.token_sort_ratio("mohammad arif", "mohammad asif") >= 90
    assert level("Mohammad Arif", "Mohammad Asif") == 0


@pytest.mark.parametrize(
    ("a", "b"), [(None, "ramesh"), ("ramesh", None), ("", "ramesh"), ("...", "ramesh")]
)
def test_a_missing_name_is_the_null_level(a: str | None, b: str | None) -> None:
    assert name_level(a, b) == NULL_LEVEL


def test_name_levels_are_symmetric() -> None:
    names = [
        "Ramesh Kumar Jadhav",
        "R. K. Jadhav",
        "Ramesh Jadhav",
        "Rmesh Jadhav",
        "Ramesh Kumar",
        "Suresh Kumar",
        "Kumar",
        "Ramkumar",
        "Mohd Irfan",
        "Mohammad Imran Khan",
        "S. Patil",
        "Shreekant Patil",
        "R R Patil",
        "Ramesh Rajesh Patil",
    ]
    for a, b in itertools.combinations(names, 2):
        assert level(a, b) == level(b, a), (a, b)


def test_best_name_level_takes_aliases_into_account() -> None:
    assert best_name_level("ramesh kumar", [], "sonu", ["kumar ramesh"]) == 4
    assert best_name_level("ramesh kumar", ["pappu"], "suresh yadav", ["munna"]) == 0
    assert best_name_level(None, [], "ramesh", None) == NULL_LEVEL


def test_an_agreement_on_one_full_word_is_a_level_lower() -> None:
    """A one-word name ("Pappu", "Irfan") or one full word and initials ("R. Kumar") is
    shared by many more people than a whole name: its agreement counts a level lower."""
    assert best_name_level("pappu", [], "ramesh kumar", ["pappu"]) == 3
    assert best_name_level(None, ["pappu"], "pappu", None) == 3
    assert best_name_level("ramesh kumar", ["pappu"], "r kumar", []) == 2
    assert best_name_level("ramesh kumar", [], "kumar ramesh", []) == 4
    assert name_level("pappu", "pappu") == 4  # name_level itself (fathers' names) unchanged


def test_father_level_says_whether_the_agreement_rests_on_one_word_or_more() -> None:
    assert father_level("suresh jadhav", "jadhav suresh") == 4
    assert father_level("suresh jadhav", "sures jadhav") == 4  # the same by sound
    # One full word: an initial with the surname says mostly the surname, which the person
    # shares; a given name alone is many fathers'.
    assert father_level("suresh jadhav", "s jadhav") == 3
    assert father_level("s das", "s das") == 3
    assert father_level("ramesh", "ramesh") == 3
    assert father_level("suresh jadhav", "suresh jadhaw") == 4
    assert father_level("suresh jadhav", "suresh") == 1
    assert father_level("suresh jadhav", "mahesh pawar") == 0
    assert father_level(None, "suresh") == NULL_LEVEL


def test_relative_level_tells_a_mans_different_father_from_a_womans_father_or_husband() -> None:
    assert relative_level("suresh jadhav", "male", "jadhav suresh", "male") == 5
    assert relative_level("suresh jadhav", "male", "s jadhav", "male") == 4
    assert relative_level("suresh jadhav", "male", "suresh", "male") == 2
    # Different: a man's records name his father; a woman's her father or her husband.
    assert relative_level("suresh jadhav", "male", "mahesh pawar", "male") == 0
    assert relative_level("suresh jadhav", "female", "mahesh pawar", "female") == 1
    assert relative_level("suresh jadhav", "male", "mahesh pawar", "unknown") == 1
    assert relative_level("suresh jadhav", None, "mahesh pawar", "male") == 1
    assert relative_level(None, "male", "mahesh pawar", "male") == NULL_LEVEL
    assert relative_level("satish", "male", "s rajput", "male") == NULL_LEVEL


def test_fathers_names_that_only_begin_alike_are_no_evidence() -> None:
    assert father_level("satish", "s rajput") == NULL_LEVEL  # given name; initial and surname
    assert father_level("om prakash", "o mishra") == NULL_LEVEL
    assert father_level("ramesh kumar", "ramesh nishad") == NULL_LEVEL
    assert father_level("suresh jadhav", "mahesh pawar") == 0
    assert father_level("s jadhav", "m jadhav") == 0


# --- the other fields ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1980, 1980, 3),
        (1980, 1981, 2),
        (1982, 1980, 1),
        (1980, 1983, 1),
        (1980, 1984, 0),
        (None, 1980, NULL_LEVEL),
        (1980, None, NULL_LEVEL),
    ],
)
def test_birth_year_level(a: int | None, b: int | None, expected: int) -> None:
    assert birth_year_level(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("MH", "pune"), ("MH", "pune"), 3),
        (("mh", " Pune "), ("MH", "pune"), 3),  # case and spaces aside
        (("MH", "pune"), (None, "pune"), 3),  # a State unknown on one side
        (("MH", "aurangabad"), ("MH", "chhatrapati sambhajinagar"), 3),  # renamed
        (("HR", "gurgaon"), ("HR", "gurugram"), 3),
        (("MH", "pune"), ("MH", None), 2),  # no district on one side: says nothing against
        (("MH", "pune"), ("MH", "nashik"), 1),
        (("MH", "aurangabad"), ("BR", "aurangabad"), 0),  # two Aurangabads
        (("MH", "pune"), ("KA", "belagavi"), 0),
        (("MH", None), (None, "pune"), NULL_LEVEL),  # nothing comparable
        ((None, None), ("MH", "pune"), NULL_LEVEL),
        (("", ""), ("MH", "pune"), NULL_LEVEL),
    ],
)
def test_place_level(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], expected: int
) -> None:
    assert place_level(a[0], a[1], b[0], b[1]) == expected
    assert place_level(b[0], b[1], a[0], a[1]) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("male", "male", 1),
        ("female", "male", 0),
        ("transgender", "female", 0),
        ("unknown", "male", NULL_LEVEL),
        (None, "female", NULL_LEVEL),
    ],
)
def test_gender_level(a: str | None, b: str | None, expected: int) -> None:
    assert gender_level(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (["dl:MH1220110012345"], ["dl:MH1220110012345", "prisoner:X/1"], 1),
        (["dl:MH1220110012345"], ["dl:mh12 2011 0012345"], 1),  # case and spaces aside
        (["dl:MH1220110012345"], ["dl:MH1420150000001"], 0),  # two licences
        (["dl:MH1220110012345"], ["prisoner:MH-YERAWADA/1234"], NULL_LEVEL),
        ([], ["dl:MH1220110012345"], NULL_LEVEL),
        (None, None, NULL_LEVEL),
    ],
)
def test_identifier_level(a: list[str] | None, b: list[str] | None, expected: int) -> None:
    assert identifier_level(a, b) == expected


# --- the comparisons and Splink -----------------------------------------------------------


def test_every_comparison_counts_its_levels_down_to_0_then_null() -> None:
    assert len({c.name for c in COMPARISONS}) == len(COMPARISONS)
    for comparison in COMPARISONS:
        values = [value for value, _ in comparison.levels]
        top = values[0]
        assert values == [*range(top, -1, -1), NULL_LEVEL], comparison.name
        assert all(label for _, label in comparison.levels)
        assert set(comparison.columns) <= set(RECORD_COLUMNS)
        assert comparison.udf.startswith("icjs_")
        assert comparison_named(comparison.name) is comparison
    assert comparison_named("name").label(3) == "same name by sound or initials"
    with pytest.raises(ValueError):
        comparison_named("gender").label(2)


def test_splink_comparison_dicts_number_levels_as_python_does() -> None:
    from splink import SettingsCreator

    # Splink types its arguments as lists of its creators or dicts; ours are dicts.
    dicts: list[Any] = splink_comparisons()
    assert [d["output_column_name"] for d in dicts] == [c.name for c in COMPARISONS]
    name = dicts[0]["comparison_levels"]
    assert name[0] == {
        "sql_condition": "icjs_name_level(name_l, aliases_l, name_r, aliases_r) = -1",
        "label_for_charts": "no name on one side",
        "is_null_level": True,
    }
    assert name[1]["sql_condition"] == "icjs_name_level(name_l, aliases_l, name_r, aliases_r) = 4"
    settings = SettingsCreator(link_type="dedupe_only", comparisons=dicts).get_settings("duckdb")
    for built, comparison in zip(settings.comparisons, COMPARISONS, strict=True):
        assert built.output_column_name == comparison.name
        numbered = [
            (cl.comparison_vector_value, cl.label_for_charts) for cl in built.comparison_levels
        ]
        expected = [comparison.levels[-1], *comparison.levels[:-1]]
        assert numbered == expected


RECORDS: list[dict[str, Any]] = [
    {
        "name": "ramesh kumar jadhav",
        "aliases": ["pappu"],
        "father_name": "suresh jadhav",
        "gender": "male",
        "birth_year": 1980,
        "state": "MH",
        "district": "pune",
        "identifiers": ["dl:MH1220110012345"],
    },
    {
        "name": "r k jadhav",
        "aliases": [],
        "father_name": "s jadhav",
        "gender": "male",
        "birth_year": 1981,
        "state": "MH",
        "district": "pune",
        "identifiers": ["dl:MH1220110012345", "prisoner:MH-YERAWADA/1234"],
    },
    {
        "name": "pappu",
        "aliases": ["ramesh jadhav"],
        "father_name": "suresh",
        "gender": "unknown",
        "birth_year": 1983,
        "state": "BR",
        "district": "aurangabad",
        "identifiers": ["prisoner:BR-BEUR/77"],
    },
    {
        "name": "suresh kumar",
        "aliases": None,
        "father_name": None,
        "gender": None,
        "birth_year": None,
        "state": None,
        "district": None,
        "identifiers": None,
    },
    {
        "name": "rmesh jadhav",
        "aliases": [],
        "father_name": "suresh jadav",
        "gender": "male",
        "birth_year": 1990,
        "state": "MH",
        "district": "aurangabad",
        "identifiers": ["dl:MH2020150000001"],
    },
    {
        "name": "mohammad irfan",
        "aliases": ["irfan khan"],
        "father_name": "salim",
        "gender": "male",
        "birth_year": 1975,
        "state": None,
        "district": "lucknow",
        "identifiers": [],
    },
    {
        # A name nothing could be read from (normalise_name gave "").
        "name": "",
        "aliases": [],
        "father_name": "",
        "gender": "female",
        "birth_year": 1975,
        "state": "UP",
        "district": None,
        "identifiers": ["dl:UP3220090000042"],
    },
]


def _records_table() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding RECORDS as the table ``records``, with the functions."""
    con = duckdb.connect(":memory:")
    register_udfs(con)
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in RECORD_COLUMNS.items())
    con.execute(f"CREATE TABLE records (unique_id VARCHAR, {columns})")
    marks = ", ".join("?" for _ in range(len(RECORD_COLUMNS) + 1))
    con.executemany(
        f"INSERT INTO records VALUES ({marks})",
        [[str(i), *(r[c] for c in RECORD_COLUMNS)] for i, r in enumerate(RECORDS)],
    )
    return con


def test_comparison_levels_of_two_records() -> None:
    assert comparison_levels(RECORDS[0], RECORDS[1]) == {
        "name": 2,  # "r k jadhav": one full word
        "father_name": 4,  # "suresh jadhav", "s jadhav": one full word
        "birth_year": 2,
        "place": 3,
        "gender": 1,
        "identifiers": 1,
    }
    assert comparison_levels(RECORDS[0], RECORDS[3]) == {
        "name": 0,
        "father_name": NULL_LEVEL,
        "birth_year": NULL_LEVEL,
        "place": NULL_LEVEL,
        "gender": NULL_LEVEL,
        "identifiers": NULL_LEVEL,
    }


def test_duckdb_functions_give_the_python_levels_for_every_pair() -> None:
    con = _records_table()
    register_udfs(con)  # registering again replaces, does not fail
    calls = ", ".join(c.sql_call() for c in COMPARISONS)
    columns = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in RECORD_COLUMNS)
    rows = con.execute(
        f"SELECT unique_id_l, unique_id_r, {calls} FROM (SELECT l.unique_id AS unique_id_l, "
        f"r.unique_id AS unique_id_r, {columns} FROM records l, records r)"
    ).fetchall()
    assert len(rows) == len(RECORDS) ** 2
    seen: set[tuple[str, int]] = set()
    for left, right, *levels in rows:
        python = comparison_levels(RECORDS[int(left)], RECORDS[int(right)])
        assert dict(zip([c.name for c in COMPARISONS], levels, strict=True)) == python
        seen.update(python.items())
    # The pairs cover null, low and high levels of every comparison.
    for comparison in COMPARISONS:
        found = {value for name, value in seen if name == comparison.name}
        assert {NULL_LEVEL, 0, comparison.levels[0][0]} <= found, comparison.name


def test_splink_predicts_with_the_python_levels_and_weights() -> None:
    """A whole Splink run on the comparisons: its gamma values are the Python levels, and the
    match weight ModelParameters computes from the saved model is Splink's."""
    from splink import Linker, SettingsCreator
    from splink.backends.duckdb import DuckDBAPI

    comparisons: list[Any] = splink_comparisons()
    for c in comparisons:
        # Made-up m and u (falling and rising with the level) so that no default is used.
        scored = [lv for lv in c["comparison_levels"] if not lv.get("is_null_level")]
        total = sum(range(1, len(scored) + 1))
        for index, lv in enumerate(scored):
            lv["m_probability"] = (len(scored) - index) / total
            lv["u_probability"] = (index + 1) / total
    blocking: list[Any] = ["1=1"]
    con = _records_table()
    api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        probability_two_random_records_match=0.01,
    )
    linker = Linker(api.register("records"), settings)
    predictions = linker.inference.predict().as_record_list()
    assert len(predictions) == len(RECORDS) * (len(RECORDS) - 1) // 2
    model = ModelParameters.from_splink_json(linker.misc.save_model_to_json())
    for row in predictions:
        levels = comparison_levels(
            RECORDS[int(row["unique_id_l"])], RECORDS[int(row["unique_id_r"])]
        )
        assert {c.name: row[f"gamma_{c.name}"] for c in COMPARISONS} == levels
        assert model.match_weight(levels) == pytest.approx(row["match_weight"], abs=1e-9)
        assert model.match_probability(levels) == pytest.approx(row["match_probability"], abs=1e-9)


# --- the model ----------------------------------------------------------------------------


def _model() -> ModelParameters:
    return ModelParameters(
        probability_two_random_records_match=0.01,
        m_probabilities={"name": {4: 0.8, 0: 0.05}, "birth_year": {3: 0.6, 0: 0.1}},
        u_probabilities={"name": {4: 0.01, 0: 0.9}, "birth_year": {3: 0.05, 0: 0.7}},
    )


def test_match_weight_adds_up_as_fellegi_sunter_says() -> None:
    model = _model()
    prior = math.log2(0.01 / 0.99)
    levels = {"name": 4, "birth_year": 3, "gender": 1, "place": NULL_LEVEL}
    # gender has no m or u: no evidence; place is null: no evidence.
    expected = prior + math.log2(0.8 / 0.01) + math.log2(0.6 / 0.05)
    assert model.match_weight(levels) == pytest.approx(expected)
    odds = 2**expected
    assert model.match_probability(levels) == pytest.approx(odds / (1 + odds))
    against = {"name": 0, "birth_year": 0}
    assert model.match_weight(against) == pytest.approx(
        prior + math.log2(0.05 / 0.9) + math.log2(0.1 / 0.7)
    )
    assert model.match_weight({}) == pytest.approx(prior)
    assert model.match_probability({}) == pytest.approx(0.01)


def test_reasons_say_which_field_agreed_and_how_much_it_weighed() -> None:
    reasons = _model().reasons({"name": 4, "birth_year": NULL_LEVEL, "gender": 1})
    assert reasons == [
        {
            "field": "name",
            "level": 4,
            "agreement": "same name, words maybe in another order",
            "weight": pytest.approx(math.log2(0.8 / 0.01)),
        },
        {
            "field": "birth_year",
            "level": NULL_LEVEL,
            "agreement": "age not known on one side",
            "weight": 0.0,
        },
        {"field": "gender", "level": 1, "agreement": "same gender", "weight": 0.0},
    ]


def test_a_zero_probability_weighs_as_splink_clamps_it() -> None:
    model = ModelParameters(0.5, {"gender": {0: 0.0}}, {"gender": {0: 0.5}})
    assert model.match_weight({"gender": 0}) == pytest.approx(math.log2(1e-300 / 0.5))


def test_model_parameters_read_the_json_splink_saves() -> None:
    saved = {
        "link_type": "dedupe_only",
        "probability_two_random_records_match": 0.002,
        "comparisons": [
            {
                "output_column_name": "gender",
                "comparison_levels": [
                    {
                        "sql_condition": "icjs_gender_level(gender_l, gender_r) = -1",
                        "is_null_level": True,
                    },
                    {"sql_condition": "... = 1", "m_probability": 0.95, "u_probability": 0.5},
                    {"sql_condition": "ELSE", "m_probability": 0.05, "u_probability": 0.5},
                ],
            },
            {
                "output_column_name": "birth_year",
                "comparison_levels": [
                    {"sql_condition": "... = -1", "is_null_level": True},
                    {"sql_condition": "... = 3", "m_probability": 0.5, "u_probability": 0.01},
                    {"sql_condition": "... = 2"},  # never estimated
                    {
                        "sql_condition": "... = 1",
                        "m_probability": "level not observed in training dataset",
                        "u_probability": 0.1,
                    },
                    {"sql_condition": "ELSE", "m_probability": 0.1, "u_probability": 0.8},
                ],
            },
        ],
    }
    model = ModelParameters.from_splink_json(saved)
    assert ModelParameters.from_splink_json(json.dumps(saved)) == model  # the file's text
    assert model.probability_two_random_records_match == 0.002
    assert model.m_probabilities["gender"] == {1: 0.95, 0: 0.05}
    assert model.u_probabilities["birth_year"] == {3: 0.01, 1: 0.1, 0: 0.8}
    assert model.m_probabilities["birth_year"] == {3: 0.5, 1: 1e-6, 0: 0.1}
    assert model.level_weight("birth_year", 2) == 0.0
    assert model.level_weight("gender", 1) == pytest.approx(math.log2(0.95 / 0.5))


@pytest.mark.parametrize("prior", [0.0, 1.0, -0.1])
def test_a_prior_of_0_or_1_is_refused(prior: float) -> None:
    with pytest.raises(ValueError):
        ModelParameters(prior)


def test_a_probability_out_of_range_is_refused() -> None:
    saved = {
        "probability_two_random_records_match": 0.01,
        "comparisons": [
            {
                "output_column_name": "gender",
                "comparison_levels": [{"sql_condition": "ELSE", "m_probability": 1.5}],
            }
        ],
    }
    with pytest.raises(ValueError):
        ModelParameters.from_splink_json(saved)
