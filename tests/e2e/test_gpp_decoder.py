"""The independent GPP decoder against the specification's own example strings."""
import pytest

import gpp_decode


@pytest.mark.parametrize("header, sections", [
    # Core/Consent String Specification, "GPP String Examples" 1–3.
    ("DBABMA", [2]),
    ("DBACNYA", [2, 6]),
    ("DBABjw", [5, 6]),
    # The header examples' own bit strings, written out without byte padding.
    ("DBABM", [2]),
    ("DBACNY", [2, 6]),
])
def test_the_specification_headers_decode_to_their_sections(header, sections):
    assert gpp_decode.header(header)["sections"] == sections
    assert gpp_decode.header(header)["version"] == 1


def test_a_whole_example_string_names_its_sections_in_order():
    decoded = gpp_decode.decode("DBACNYA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN")
    assert decoded["sections"] == [2, 6]


def test_fibonacci_numbers_decode_as_the_specification_lists_them():
    # "11" is 1, "011" is 2, "0011" is 3, "1011" is 4, "00011" is 5, "10011" is 6, "01011" is 7.
    for bits, value in [("11", 1), ("011", 2), ("0011", 3), ("1011", 4), ("00011", 5), ("10011", 6), ("01011", 7)]:
        reader = gpp_decode.Bits("")
        reader.bits = bits
        assert reader.fibonacci() == value


def test_a_string_whose_header_and_sections_disagree_is_refused():
    with pytest.raises(ValueError):
        gpp_decode.decode("DBABMA")
    with pytest.raises(ValueError):
        gpp_decode.header("!!")
