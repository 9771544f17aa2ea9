"""What an institution is told to do when its clock falls due or runs out: by the provision's
text, the s.479 thresholds apart, a clock without a text of its own by its title."""

from __future__ import annotations

import pytest

from canonical_model.deadline_actions import action


@pytest.mark.parametrize(
    ("provision", "expected"),
    [
        ("BNSS 479(1)", "the Superintendent of the jail applies forthwith"),
        ("BNSS 479(1), first proviso", "the Superintendent of the jail applies forthwith"),
        ("BNSS 479(1), third proviso", "may in no case be detained beyond the maximum term"),
        ("BNSS 232", "complete the committal proceedings"),
        ("BNSS 346(1) proviso", "within two months of the filing of the charge sheet"),
        ("CrPC 309(1) proviso", "within two months of the filing of the charge sheet"),
        ("BNSS 193(2)", "complete the investigation"),
        ("BNSS 193(3)(ii)", "inform the informant or the victim"),
        ("BNSS 187(3)", "entitled to be released on bail"),
        ("BNSS 58", "within 24 hours"),
    ],
)
def test_each_provision_says_what_its_institution_does(provision: str, expected: str) -> None:
    assert expected in action(provision, title="a clock")


def test_a_provision_without_a_text_of_its_own_falls_back_on_its_title() -> None:
    assert action("BNSS 999", title="something due") == "something due (BNSS 999)"
