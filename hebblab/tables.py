"""Reading a sweep table back (``read_results``): the CSV file that ``python -m hebb_core sweep``
writes, read at once by pandas' parser, each field checked by its column's reader (each distinct
text of a column once), then the fields of each row against each other; a file that is not such a
table is a ``ValueError`` naming the file, the line and what is wrong there. ``--resume`` reads a
table with it too (``hebblab.cli``)."""

import codecs
import csv
import gc
import io
import json
import os
import re
import stat

import numpy as np

from hebb_core import COLUMNS
from hebblab.checks import as_shown, fail, MAX_NEURONS

# an allotment string: letters E and I by layer, a | between layers
ALLOTMENT_PATTERN = r"[EI]+(\|[EI]+)*"
# the largest integer of the table (a run, a seed): they are 64-bit integers
_MAX_INTEGER = 2**63 - 1

# Each field is checked by its column's reader, which raises ValueError for anything the command
# line does not write; a column's distinct texts are read once each. Then the fields of each row
# are checked against each other.

# "[0, 1, …]": at most MAX_NEURONS numbers of three digits and their ", "
_MAX_MAPPING_TEXT = 8 * MAX_NEURONS


def _count(text):
    # as the table writes it
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > _MAX_INTEGER:
        raise ValueError(text)
    return int(text)


def _fraction(text):
    value = float(text)
    if not 0 <= value <= 1:  # NaN too
        raise ValueError(text)
    return value


def _boolean(text):
    if text not in ("True", "False"):
        raise ValueError(text)
    return text == "True"


def _mapping(text):
    if len(text) > _MAX_MAPPING_TEXT:  # refused before it is parsed: not millions of numbers
        raise ValueError(text)
    mapping = json.loads(text)
    if not (isinstance(mapping, list) and 0 < len(mapping) <= MAX_NEURONS
            and all(type(i) is int and i >= 0 for i in mapping)):
        raise ValueError(text)
    return mapping


def _weights(text):
    if text and not isinstance(json.loads(text), dict):  # empty where the run did not converge
        raise ValueError(text)
    return text


def _allotment(text):
    if not re.fullmatch(ALLOTMENT_PATTERN, text):
        raise ValueError(text)
    return text


def _settled(text):
    return None if text == "" else _count(text)  # empty where the weights never settled


_INTEGER = (_count, "an integer in [0, 2^63 - 1]", "int64")
_FRACTION = (_fraction, "a number in [0, 1]", "float64")
_BOOLEAN = (_boolean, "True or False", "bool")
_FIELDS = {  # each column of the sweep table: its reader, what it allows, its dtype
    "excitatory_value": _FRACTION,
    "inhibitory_value": _FRACTION,
    "target_mapping": (_mapping, f"a JSON list of 1 to {MAX_NEURONS} integers >= 0 such "
                                 f"as [0, 2, 1]", object),
    "epochs_to_convergence": _INTEGER,
    "converged": _BOOLEAN,
    "converged_weights": (_weights, "empty or a JSON object", "str"),
    "excitatory_count": _INTEGER,
    "inhibitory_count": _INTEGER,
    "allotment": (_allotment, "letters E and I, a | between layers, such as EII|IEI", "str"),
    "seed": _INTEGER,
    "recall_fraction": _FRACTION,
    "unique": _BOOLEAN,
    "stable": _BOOLEAN,
    "weights_settled_epoch": (_settled, "empty or an integer in [0, 2^63 - 1]", "Int64"),
    "run": _INTEGER,
}


def _cut(text, width=40):
    """``text`` for a message, cut to ``width`` characters."""
    return text if len(text) <= width else text[:width] + "…"


def regular_file_bytes(path, name="path"):
    """The bytes of the regular file at ``path`` (a ``str`` or ``os.PathLike``).

    What is not a path is a ``TypeError``; a FIFO, a device (``/dev/zero``, also through a symbolic
    link), a folder or a socket a ``ValueError`` naming it, found without reading from it, so
    without waiting on it; a file that cannot be opened the ``OSError`` that says why."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes) \
            or os.fspath(path) in ("", b""):
        raise TypeError(f"{name}={as_shown(path)!r} is not allowed: the path of a file (a str or "
                        f"os.PathLike), "
                        "not a file descriptor")
    descriptor = os.open(path,
                         os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ValueError(f"{path}: not a regular file but {_file_kind(mode)}")
    with open(descriptor, "rb") as handle:
        return handle.read()


def _file_kind(mode):
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (a named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "a special file")


def _text(data, source):
    """``data`` as text, without a UTF-8 byte-order mark (as spreadsheets write it); else a
    ``ValueError`` naming the line of the first byte that is not UTF-8."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, start + error.start) + 1
        raise ValueError(f"{source}, line {line}: not UTF-8 text") from None


def table_from_bytes(data, source):
    """The sweep table in ``data``, the bytes of a file named ``source`` in the messages, as
    :func:`read_results` returns it: row ``i`` is line ``i + 2`` of the file. A ``ValueError``
    names ``source``, the line and what is wrong there."""
    text = _text(data, source)
    if not text:
        raise ValueError(f"{source}: an empty file, not a sweep table (no header)")
    end = text.find("\n") + 1 or len(text)
    header, _ = _csv_rows(source, text[:end], 0)
    if header[0] != COLUMNS:
        _fail_header(source, header[0])
    if not text.endswith("\n"):
        raise ValueError(f"{source}, line {text.count(chr(10)) + 1}: a row cut short (no line "
                         f"break at its end), as "
                         "a sweep stopped while writing leaves it; resuming the sweep (--resume) "
                         "completes the table")
    body = text[end:]
    rows = body.count("\n")
    start = data.find(b"\n") + 1  # the rows' bytes: pandas reads them faster than their text
    fields = (_fields_read_fast(data[start:], rows) if rows
              else {name: np.array([], dtype=object) for name in COLUMNS})
    problem = None
    # something the fast reader does not read: read line by line, to name the first problem
    if fields is None:
        found, problem = _csv_rows(source, body, 1)
        fields = {name: np.array(column, dtype=object) for name, column in
                  zip(COLUMNS, zip(*found) if found else [()] * len(COLUMNS))}
    return _checked_table(source, fields, problem)


def _fields_read_fast(body, rows):
    """The fields of the ``rows`` lines of ``body`` (UTF-8 bytes) by column (arrays of str), read
    by pandas' parser; ``None`` where they may not be ``rows`` rows of 15 fields each (a blank
    line, a field too many or too few, a line break inside a field …), for :func:`_csv_rows` to
    read."""
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(body), header=None, names=COLUMNS, dtype=object,
                            na_filter=False, engine="c", encoding="utf-8")
    except (ValueError, pd.errors.ParserError):
        return None
    fields = {name: frame[name].to_numpy(dtype=object) for name in COLUMNS}
    # a line of fewer fields ends with empty ones here
    if len(frame) != rows or (fields["run"] == "").any():
        return None
    return fields


def _csv_rows(source, text, first):
    """The rows of ``text`` (whose line ``i`` is line ``first + i`` of the file) read with Python's
    csv module, up to its first line that is not a row of the table: ``(rows, problem)``,
    ``problem`` the message that names that line (``None`` if every line is a row). A header
    (``first=0``) is read whatever its number of fields."""
    lines = text.split("\n")
    reader = csv.reader(line + "\n" for line in (lines[:-1] if text.endswith("\n") else lines))
    rows = []
    # the converged weights of a large network are megabytes of JSON
    limit = csv.field_size_limit(2**31 - 1)
    try:
        for row in reader:
            line = first + len(rows) + 1
            if reader.line_num != len(rows) + 1:
                return rows, f"{source}, line {line}: a line break inside a field"
            if first and len(row) != len(COLUMNS):
                return rows, f"{source}, line {line}: {len(row)} fields, not {len(COLUMNS)}"
            rows.append(row)
    except csv.Error:  # a line break inside a field that is not quoted, say
        problem = f"{source}, line {first + reader.line_num}: not CSV text"
        if not first:
            raise ValueError(problem) from None
        return rows, problem
    finally:
        csv.field_size_limit(limit)
    return rows, None


def _fail_header(source, header):
    """Raise the ``ValueError`` that says how ``header`` differs from a sweep table's."""
    missing = [name for name in COLUMNS if name not in header]
    extra = [repr(_cut(name)) for name in header if name not in COLUMNS]
    if len(missing) == len(COLUMNS):
        wrong = f"it begins {_cut(header[0]) if header else ''!r}"
    else:
        wrong = "; ".join([f"missing column {', '.join(missing)}"] * bool(missing)
                          + [f"unknown column {', '.join(extra)}"] * bool(extra))
    raise ValueError(f"{source}, line 1: not the header of a sweep table: "
                     + (wrong or f"the columns {', '.join(COLUMNS)} in this order, once each"))


def _integers(texts):
    """``texts`` (many) as an int64 array if each is what :func:`_count` reads, checked all at
    once; else ``None``."""
    joined = "".join(texts)
    if len(texts) < 64 or not (joined.isascii() and joined.isdigit()) or min(map(len, texts)) == 0:
        return None
    try:
        # each text's int(); beyond the range of int64, an OverflowError
        return texts.astype(np.int64)
    except OverflowError:
        return None


def _distinct_values(name, distinct):
    """The values of a column's distinct texts, read by its reader, and the positions of those it
    refuses."""
    convert = _FIELDS[name][0]
    numbers = _integers(distinct) if convert is _count else None
    if numbers is not None:
        return numbers, []
    values, refused = [], []
    for position, text in enumerate(distinct):
        try:
            values.append(convert(text))
        except (ValueError, RecursionError):
            values.append(None)
            refused.append(position)
    return values, refused


def _checked_table(source, fields, problem):
    """The table of the fields read (``fields``: per column, an array of texts, row ``i`` from line
    ``i + 2``), each checked by its column's reader, then against the others of its row; the first
    field refused, or else ``problem`` (the line where reading stopped), is a ``ValueError``."""
    import pandas as pd

    columns, first = {}, None
    for name, texts in fields.items():
        # a number for each: no need to find the distinct ones
        runs = _integers(texts) if name == "run" else None
        if runs is not None:
            columns[name] = (np.arange(len(runs)), runs)
            continue
        codes, distinct = pd.factorize(texts)
        values, refused = _distinct_values(name, distinct)
        if refused:
            row = int(np.flatnonzero(np.isin(codes, refused))[0])
            first = row if first is None else min(first, row)
        columns[name] = (codes, values)
    if first is not None:
        _fail_field(source, first + 2, [fields[name][first] for name in COLUMNS])
    if problem is not None:
        raise ValueError(problem)
    _check_rows(source, fields, columns)
    return _frame(columns)


def _fail_field(source, line, row):
    """Raise the ``ValueError`` that names the first field of ``row`` (on ``line``) that its column
    does not allow."""
    for (name, (convert, allowed, _)), text in zip(_FIELDS.items(), row):
        try:
            convert(text)
        except (ValueError, RecursionError):
            fail(f"{source}, line {line}: {name}", _cut(text), allowed)


def _check_rows(source, fields, columns):
    """Raise a ``ValueError`` at the first row whose fields disagree: its allotment's letters and
    its E and I counts, these and its E and I shares, its target and the network's outputs, its
    weights and whether it converged."""
    def row_values(name):
        codes, values = columns[name]
        if name == "target_mapping":
            return codes
        return np.asarray(values if len(values) else [0])[codes]

    allotments = [allotment.split("|") for allotment in columns["allotment"][1]]
    by_allotment = np.array([(len(layers[0]), sum(layer.count("E") for layer in layers),
                              sum(layer.count("I") for layer in layers)) for layers in allotments],
                            dtype=np.int64).reshape(-1, 3)
    outputs, e_letters, i_letters = by_allotment[columns["allotment"][0]].T
    mapping_codes, mappings = columns["target_mapping"]
    permutation = np.array([sorted(m) == list(range(len(m))) for m in mappings], dtype=bool)
    length = np.array([len(m) for m in mappings], dtype=np.int64)
    e, i = row_values("excitatory_count"), row_values("inhibitory_count")
    typed = e_letters + i_letters
    share = e / np.maximum(typed, 1)
    allotment = fields["allotment"]
    checks = [  # the column, where it disagrees with the rest of its row, and what it would be
        ("excitatory_count", e != e_letters,
         lambda r: f"the {e_letters[r]} E of allotment {allotment[r]!r}"),
        ("inhibitory_count", i != i_letters,
         lambda r: f"the {i_letters[r]} I of allotment {allotment[r]!r}"),
        ("excitatory_value", np.abs(row_values("excitatory_value") - share) > 1e-9,
         lambda r: f"excitatory_count / typed neurons = {e[r]}/{typed[r]}"),
        ("inhibitory_value", np.abs(row_values("inhibitory_value") - (1 - share)) > 1e-9,
         lambda r: f"inhibitory_count / typed neurons = {i[r]}/{typed[r]}"),
        ("target_mapping", ~permutation[mapping_codes] | (length[mapping_codes] != outputs),
         lambda r: f"a permutation of range({outputs[r]}): the network of "
                   f"allotment {allotment[r]!r} has "
                   f"{outputs[r]} outputs"),
        ("converged_weights", (fields["converged_weights"] != "") != row_values("converged"),
         lambda r: "the final weights (a JSON object) where converged is True, else empty"),
    ]
    wrong = [np.flatnonzero(mask) for _, mask, _ in checks]
    first = min((int(rows[0]) for rows in wrong if len(rows)), default=None)
    for (name, mask, allowed), rows in zip(checks, wrong):
        if first is not None and mask[first]:
            fail(f"{source}, line {first + 2}: {name}", _cut(fields[name][first]), allowed(first))


def _frame(columns):
    """The DataFrame of the checked columns (per column, the codes of its rows and the values of
    its distinct texts)."""
    import pandas as pd

    data = {}
    for name, (codes, values) in columns.items():
        if name == "target_mapping":  # a list of its own for each row
            distinct = np.empty(len(values), dtype=object)
            for position, mapping in enumerate(values):
                distinct[position] = mapping
            collecting = gc.isenabled()
            # a million lists of ints, which cannot form cycles: no rounds of the cyclic collector
            gc.disable()
            try:
                data[name] = np.fromiter(map(list.copy, distinct[codes]), dtype=object,
                                         count=len(codes))
            finally:
                if collecting:
                    gc.enable()
        elif name == "weights_settled_epoch":
            missing = np.array([value is None for value in values], dtype=bool)
            numbers = np.array([0 if value is None else value for value in values], dtype=np.int64)
            data[name] = pd.arrays.IntegerArray(numbers[codes],
                                                missing[codes]) if len(values) else \
                pd.array([], dtype="Int64")
        else:
            data[name] = np.asarray(values,
                                    dtype=object if _FIELDS[name][2] == "str" else None)[codes] \
                if len(values) else np.array([], dtype=object)
    return pd.DataFrame(data, columns=COLUMNS).astype({name: dtype for name,
                                                       (_, _, dtype) in _FIELDS.items()})


def read_results(path):
    """Read a sweep table written by the command line, with ``target_mapping`` back as lists of
    ints.

    ``path`` is the path of a regular file (:func:`regular_file_bytes`), in UTF-8 (a byte-order
    mark, as spreadsheets write it, is allowed). Every field is checked, and the fields of each row
    against each other (the allotment's letters, the E and I counts and shares, the target a
    permutation of the network's outputs, the weights where it converged); a row cut short (the
    file does not end with a line break) is refused. A file that is not such a table is a
    ``ValueError`` naming the file, the line and what is wrong there."""
    return table_from_bytes(regular_file_bytes(path), path)
