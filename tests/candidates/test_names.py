"""When two typed names are the same person's name, and when they clearly differ."""

import pytest

from candidates.names import names_agree

SAME = [
    (("Ada", "Lovelace"), ("Ada", "Lovelace")),
    (("ada", "LOVELACE"), ("Ada", "Lovelace")),  # case
    (("José", "García"), ("Jose", "Garcia")),  # accents
    (("Zoë", "Brontë"), ("ZOE", "bronte")),
    (("Anna Maria", "Schmidt"), ("Anna", "Schmidt")),  # a middle name
    (("Mary", "Jones-Smith"), ("Mary", "Jones")),  # a double name
    (("Wei", "Li"), ("Li", "Wei")),  # first and last name swapped
    (("J.", "Smith"), ("John", "Smith")),  # an initial
    (("Chris", "Evans"), ("Christopher", "Evans")),  # a short form
    (("Jon", "Smith"), ("John", "Smith")),  # a typo
    (("Grace", "Smyth"), ("Grace", "Smith")),
    (("Sean", "O'Brien"), ("Seán", "O Brien")),
    (("Straße", "Müller"), ("strasse", "Mueller")),
]
DIFFERENT = [
    (("Ada", "Lovelace"), ("Grace", "Hopper")),  # nothing in common
    (("Ada", "Lovelace"), ("Grace", "Lovelace")),  # a relative sharing the family phone
    (("John", "Smith"), ("John", "Miller")),
    (("Mark", "Evans"), ("Mary", "Evans")),
    (("Li", "Wang"), ("Li", "Li")),
    (("John", "Smith"), ("Smith", "Jones")),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_the_same_name_typed_differently_agrees(one, other):
    assert names_agree(*one, *other) and names_agree(*other, *one)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_clearly_different_names_do_not_agree(one, other):
    assert not names_agree(*one, *other) and not names_agree(*other, *one)
