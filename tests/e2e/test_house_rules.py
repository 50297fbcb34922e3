"""The house rules a reader relies on: no Swift file over 400 lines, no function over 60.

A long function hides the step a reader is looking for, a long file the type; both grow one
line at a time, so they are checked on every run rather than in review.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
FOLDERS = (ROOT / "Sources", ROOT / "Tests")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60

# A declaration whose body follows: func, init, subscript, deinit, or a computed property.
DECLARATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|private|fileprivate|internal|package|static|class|final|override|mutating|nonisolated|"
    r"convenience|required|consuming|borrowing)\s+)*"
    r"(?:func\s|init[?!]?\s*[(<]|subscript\s*[(<]|deinit\b|(?:var|let)\s+\w+\s*:[^=]*\{\s*$)"
)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def swift_files():
    return sorted(p for folder in FOLDERS for p in folder.rglob("*.swift"))


def body_length(lines, start):
    """Lines from the declaration at `start` to the brace that closes its body; 0 without a body."""
    depth, opened = 0, False
    for index in range(start, len(lines)):
        code = STRING.sub('""', lines[index]).split("//")[0]
        depth += code.count("{") - code.count("}")
        opened = opened or "{" in code
        if opened and depth <= 0:
            return index - start + 1
        if not opened and index - start > 12:
            return 0  # a protocol requirement or a declaration without a body
    return 0


def test_no_swift_file_is_over_400_lines():
    long = [f"{p.relative_to(ROOT)}: {n} lines" for p in swift_files()
            if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES]
    assert not long, "split these files by what their parts do:\n" + "\n".join(long)


def test_no_function_is_over_60_lines():
    long = []
    for path in swift_files():
        lines = path.read_text().splitlines()
        for index, line in enumerate(lines):
            if DECLARATION.match(line) and (n := body_length(lines, index)) > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(ROOT)}:{index + 1}: {n} lines: {line.strip()[:70]}")
    assert not long, "give the steps of these functions names of their own:\n" + "\n".join(long)


def test_the_checks_see_a_long_function(tmp_path):
    """The counter itself: a 61-line body is caught, a 60-line one is not."""
    body = ["    let x = 1"] * 59
    for size, caught in ((60, False), (61, True)):
        lines = ["func f() {", *body[: size - 2], "}"]
        assert (body_length(lines, 0) > MAX_FUNCTION_LINES) == caught
        assert DECLARATION.match(lines[0])
