"""Read a table of rows from a CSV or .xlsx file as Dutch offices save them, within limits.

The limits are checked while reading, never after: the file's size before anything is unpacked or
decoded, the rows as they are pulled from the reader (a file with millions of rows stops at the
first row past the limit), each cell as it comes. A row that cannot be read (a cell far too long,
characters that are no text) is one bad row: it comes back with its problem, and the rows around
it are read as usual.

Encodings: UTF-8 with or without BOM, UTF-16 LE/BE (with BOM, as Excel's 'Unicode text' saves it,
or without one), and Windows-1252 (what older Dutch Excel saves as 'CSV'). Separators: ';', ','
or a tab, whichever the heading uses most.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from .errors import DomainError

MAX_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED = 200 * 1024 * 1024  # an .xlsx unpacked: a small zip can hold gigabytes of XML
MAX_CELL = 10_000  # characters in one cell; no field of ours comes near

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass
class TableRow:
    number: int  # as in the file: the heading is row 1
    values: dict
    problem: tuple[str, str, dict] | None = None  # (field, code, params) when the row could not be read


@dataclass
class Table:
    headings: dict[str, str] = field(default_factory=dict)  # field -> the heading as the file writes it
    rows: list[TableRow] = field(default_factory=list)


def column(header, aliases: dict[str, str]) -> str:
    name = str(header or "").strip().casefold()
    return aliases.get(name, name)


def decode(content: bytes) -> str:
    """The text of a CSV file; a file that is no text in any encoding we know is refused."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            body = content[len(bom):]
            break
    else:
        encoding, body = _utf16_without_bom(content), content
    if encoding.startswith("utf-16"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            raise DomainError("file.encoding", field="file") from None
    elif encoding == "utf-8":
        # The file says it is UTF-8: a stray byte spoils its own row (shown there), not the file.
        text = body.decode("utf-8", errors="replace")
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise DomainError("file.encoding", field="file")
    return text


def _utf16_without_bom(content: bytes) -> str:
    """UTF-16 text without a BOM has a NUL beside nearly every letter of a Dutch file; other text
    has none. Returns '' when the file does not look like UTF-16."""
    sample = content[:4000]
    if len(sample) < 4:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return ""


def read(content: bytes, filename: str, known: set[str], aliases: dict[str, str], max_rows: int) -> Table:
    """The rows of a CSV or .xlsx file with their headings named by `aliases`. A file without any
    `known` column is not a table of ours. Raises at the first row past `max_rows`."""
    if len(content) > MAX_BYTES:
        raise DomainError("file.too_large", field="file", max=MAX_BYTES // (1024 * 1024))
    records = _xlsx_rows(content, max_rows) if filename.lower().endswith(".xlsx") else _csv_rows(decode(content))
    table = Table()
    header: list[str] | None = None
    for number, cells, problem in records:
        if header is None:
            if problem is not None:
                raise DomainError("outcomes.file_unreadable", field="file")
            header = [column(h, aliases) for h in cells]
            for name, heading in zip(header, cells):
                table.headings.setdefault(name, str(heading or "").strip())
            if not set(header) & known:
                raise DomainError("outcomes.file_unreadable", field="file")  # no column we know: not ours
            continue
        if number - 1 > max_rows:
            raise DomainError("file.too_many_rows", field="file", max=max_rows)
        if problem is None and not any(v not in (None, "") for v in cells):
            continue
        values = dict(zip(header, cells))
        if problem is None:
            problem = _cell_problem(header, values)
        table.rows.append(TableRow(number, values, problem))
    return table


def _cell_problem(header: list[str], values: dict):
    for name in header:
        value = values.get(name)
        if isinstance(value, str):
            if len(value) > MAX_CELL:
                return name, "file.cell_too_long", {"max": MAX_CELL}
            if "\ufffd" in value:
                return name, "file.row_encoding", {}
    return None


def _csv_rows(text: str):
    """(row number, cells, problem) per record. The csv module stops a cell at its field size limit
    (128 KiB) with an error that spoils that record only: the reader goes on at the next line."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]  # not split(): that would copy the whole file once more
    delimiter = max(";,\t", key=first.count) if any(d in first for d in ";,\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            too_long = "field larger than field limit" in str(exc)
            yield number, [], ("", "file.cell_too_long" if too_long else "file.row_unreadable",
                               {"max": MAX_CELL} if too_long else {})
            continue
        yield number, cells, None


def _xlsx_rows(content: bytes, max_rows: int):
    """(row number, cells, problem) per row of the first sheet, streamed (read-only mode): openpyxl
    parses some thousands of rows a second, so a sheet that says it is too large is refused at once."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DomainError("outcomes.file_unreadable", field="file") from None
    if unpacked > MAX_UNPACKED:  # before openpyxl unpacks anything (it reads all shared strings at once)
        raise DomainError("file.too_large", field="file", max=MAX_BYTES // (1024 * 1024))
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same message to the user
        raise DomainError("outcomes.file_unreadable", field="file") from None
    if (sheet.max_row or 0) - 1 > max_rows:  # the size Excel writes in the sheet (<dimension>)
        raise DomainError("file.too_many_rows", field="file", max=max_rows)
    # Read to the last row there is: some programs write a size that is too small, and openpyxl
    # would stop there without a word.
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(cells), None
