"""The header line decides a usage CSV's delimiter and names (sources/csvshape.py)."""
from __future__ import annotations

import pytest

from adoptscore.errors import DataError
from adoptscore.sources.csvshape import CsvShape, csv_shape, ragged_from_message, ragged_row


@pytest.mark.parametrize("header, delimiter", [
    ("account_id,period,users", ","), ("account_id;period;users", ";"), ("account_id\tperiod\tusers", "\t"),
    ("account_id|period|users", "|"), ('"account_id","period, as month","users"', ","),
])
def test_the_header_line_names_the_delimiter(tmp_path, header, delimiter):
    path = tmp_path / "usage.csv"
    path.write_text(header + "\n" + delimiter.join(["a1", "2026-10", "3"]) + "\n")
    shape = csv_shape(path)
    assert shape is not None and shape.delimiter == delimiter and len(shape.columns) == 3


def test_a_bom_and_crlf_are_not_part_of_the_names(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_bytes("\ufeffaccount_id,period\r\na1,2026-10\r\n".encode())
    assert csv_shape(path) == CsvShape(",", ("account_id", "period"))


def test_a_repeated_name_is_refused_at_its_column(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text("account_id,users,period,users\na1,1,2026-10,2\n")
    with pytest.raises(DataError) as raised:
        csv_shape(path)
    assert raised.value.format().startswith(f"{path}:1:4: column 'users' is named twice in the header (columns 2 and 4)")


def test_no_header_line_leaves_it_to_the_reader(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text("\n\n")
    assert csv_shape(path) is None


def test_the_first_ragged_row_is_found_past_quoted_line_breaks(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text('account_id,note,users\na1,"two\nlines",3\na2,ok,4\na3,too,many,5\n')
    error = ragged_row(path, csv_shape(path))
    assert error is not None and error.line == 5 and "this row has 4 fields, the header has 3" in error.message
    path.write_text('account_id,note,users\na1,"two\nlines",3\n')
    assert ragged_row(path, csv_shape(path)) is None


def test_duckdb_s_ragged_row_message_is_read(tmp_path):
    message = "Invalid Input Error: CSV Error on Line: 40001\nOriginal Line: 4,5\nExpected Number of Columns: 3 Found: 2\n"
    error = ragged_from_message(tmp_path / "u.csv", message)
    assert error is not None and error.line == 40001 and "this row has 2 fields, the header has 3" in error.message
    assert ragged_from_message(tmp_path / "u.csv", "Conversion Error: Could not convert") is None


def test_a_semicolon_file_scores_as_the_comma_file(tmp_path):
    from adoptscore import api
    from tests.badinput.corpus import GOOD_CSV

    comma, semicolon = tmp_path / "comma.csv", tmp_path / "semicolon.csv"
    comma.write_text(GOOD_CSV)
    semicolon.write_text(GOOD_CSV.replace(",", ";"))
    scored = {name: api.score(path, "gitlab").use_cases.sort_values(["account_id", "use_case"], ignore_index=True)
              for name, path in (("comma", comma), ("semicolon", semicolon))}
    assert len(scored["comma"]) > 0 and scored["semicolon"].equals(scored["comma"])
