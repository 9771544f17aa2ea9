"""The one settings object reads a PostgreSQL URL however it is written and refuses other
schemes naming the ones it takes."""

from __future__ import annotations

import pydantic
import pytest

from gateway.settings import Settings, normalise_database_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgres://icjs:pw@db.example:5432/icjs",
            "postgresql+psycopg://icjs:pw@db.example:5432/icjs",
        ),
        ("postgresql://icjs@db.example/icjs", "postgresql+psycopg://icjs@db.example/icjs"),
        ("POSTGRES://icjs@db.example/icjs", "postgresql+psycopg://icjs@db.example/icjs"),
        ("postgresql+psycopg://icjs@db.example/icjs", "postgresql+psycopg://icjs@db.example/icjs"),
        ("sqlite:///./icjs.db", "sqlite:///./icjs.db"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_accepted_urls(given: str, used: str) -> None:
    assert normalise_database_url(given) == used
    assert Settings(database_url=given).database_url == used


@pytest.mark.parametrize(
    "given", ["mysql://h/d", "postgresql+psycopg2://h/d", "postgresql+asyncpg://h/d"]
)
def test_other_schemes_are_refused_naming_the_accepted(given: str) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Settings(database_url=given)
    (error,) = info.value.errors()
    assert error["loc"] == ("database_url",)
    scheme = given.partition("://")[0]
    assert f"the database URL scheme '{scheme}://' is not one the gateway speaks" in error["msg"]
    assert (
        "sqlite://, sqlite+pysqlite://, postgresql+psycopg://, postgres://, postgresql://"
        in (error["msg"])
    )


def test_a_path_is_not_a_url() -> None:
    with pytest.raises(ValueError, match="expected sqlite:///PATH or postgresql"):
        normalise_database_url("./icjs.db")
