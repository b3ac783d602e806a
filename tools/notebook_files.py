"""Reading notebooks and folders for the course's tools (``strip_solutions.py``, ``build_site.py``,
``stamp_notebooks.py``): what is not a notebook of nbformat 4 is refused with a
:class:`NotebookError`, one line that names the file and the problem, before the tool writes
anything.

Only the standard library (``stamp_notebooks.py`` runs before anything is installed);
:func:`read_node`, for the tools that use nbformat, also validates the notebook against nbformat's
schema.
"""

import json
import os
import stat
from pathlib import Path

CELL_TYPES = ("markdown", "code", "raw")
# a notebook larger than this is refused before it is read (the course's are about 1 MB)
MAX_BYTES = 256 * 2**20
# nesting of JSON lists and objects a notebook may have (the course's have under 10)
MAX_DEPTH = 64


class NotebookError(ValueError):
    """A file or folder that a tool cannot use: its message names the path and the problem, on one
    line."""


def _kind(mode):
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (a named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def read_bytes(path):
    """The bytes of the regular file ``path``: a FIFO, a device or a folder is refused without
    reading from it (so without waiting on it), as is a file that cannot be opened or is larger
    than :data:`MAX_BYTES`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK",
                                                         0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise NotebookError(f"{path}: {error.strerror.lower()}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotebookError(f"{path}: {_kind(status.st_mode)}, not a notebook file")
        if status.st_size > MAX_BYTES:
            raise NotebookError(f"{path}: {status.st_size:,} bytes, more than a "
                                f"notebook's {MAX_BYTES:,}")
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        reason = error.strerror.lower() if error.strerror else error
        raise NotebookError(f"{path}: {reason}") from None
    finally:
        os.close(descriptor)


def _too_deep(data):
    """Whether the JSON data ``data`` nests lists and objects more than :data:`MAX_DEPTH` deep
    (walked without recursion)."""
    level = [data]
    for _ in range(MAX_DEPTH):
        level = [child for item in level if isinstance(item, (list, dict))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return False
    return any(isinstance(item, (list, dict)) for item in level)


def _text(path, data):
    if not data.strip():
        raise NotebookError(f"{path}: an empty file, not a notebook")
    for mark, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                           (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(mark):
            raise NotebookError(f"{path}: {encoding} text, not UTF-8 (save the notebook as UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotebookError(f"{path}: not UTF-8 text (line {line})") from None


def _check_cell(path, index, cell):
    where = f"{path}: cell {index}"
    if not isinstance(cell, dict):
        raise NotebookError(f"{where}: a JSON {type(cell).__name__}, not a cell (a JSON object)")
    if "cell_type" not in cell:
        raise NotebookError(f"{where}: no cell_type")
    if cell["cell_type"] not in CELL_TYPES:
        raise NotebookError(f"{where}: cell_type {cell['cell_type']!r}, not one "
                            f"of {', '.join(CELL_TYPES)}")
    source = cell.get("source")
    if not (isinstance(source, str)
            or isinstance(source, list) and all(isinstance(s, str) for s in source)):
        raise NotebookError(f"{where}: its source is not text (a string or a list of strings)")
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        raise NotebookError(f"{where}: its metadata is not a JSON object")
    tags = metadata.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(tag, str) for tag in tags)):
        raise NotebookError(f"{where}: its tags are not a list of strings")
    if cell["cell_type"] == "code":
        if not isinstance(cell.get("outputs", []), list) or \
                not all(isinstance(output, dict) for output in cell.get("outputs", [])):
            raise NotebookError(f"{where}: its outputs are not a list of JSON objects")


def read_notebook(path):
    """The notebook at ``path`` as JSON data (a dict), checked: a regular file of UTF-8 JSON (a
    byte-order mark is allowed), an object of nbformat 4 with a list of ``cells``, each a markdown,
    code or raw cell whose source is text and whose tags (if any) are a list of strings. Anything
    else is a :class:`NotebookError`."""
    text = _text(path, read_bytes(path))
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path}: not JSON (line {error.lineno}, "
                            f"column {error.colno}: {error.msg})") from None
    except RecursionError:
        notebook = None
    if notebook is None or _too_deep(notebook):
        raise NotebookError(f"{path}: JSON nested more than {MAX_DEPTH} deep, not a notebook")
    if not isinstance(notebook, dict):
        raise NotebookError(f"{path}: a JSON {type(notebook).__name__}, not a notebook (a "
                            f"JSON object)")
    version = notebook.get("nbformat")
    if version != 4:
        raise NotebookError(f"{path}: nbformat {version!r}, not 4 (open and save it in a "
                            f"current Jupyter)")
    if not isinstance(notebook.get("metadata", {}), dict):
        raise NotebookError(f"{path}: its metadata is not a JSON object")
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise NotebookError(f"{path}: no list of cells ('cells')")
    for index, cell in enumerate(cells):
        _check_cell(path, index, cell)
    return notebook


def read_node(path):
    """:func:`read_notebook`, as nbformat's ``NotebookNode``, also valid against nbformat's schema
    (a :class:`NotebookError` names the first problem it finds)."""
    import nbformat

    try:
        # with each source joined into text
        node = nbformat.reads(json.dumps(read_notebook(path)), as_version=4)
        nbformat.validate(node)
    except nbformat.ValidationError as error:
        problem = " ".join(str(error.message).split())
        raise NotebookError(f"{path}: not a valid notebook: {problem[:200]}") from None
    except RecursionError:
        raise NotebookError(f"{path}: JSON nested too deep, not a notebook") from None
    return node


def check_folder(path, option):
    """``path`` as a folder to write into, refused (naming ``option``) if it is a file or lies
    under one; the tool makes it (:func:`make_folder`) once every notebook has been read."""
    path = Path(path)
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                raise NotebookError(f"{option} {path}: {'it' if folder == path else folder} is a "
                                    f"file, not a folder")
            break
    return path


def make_folder(path, option):
    """Make the folder ``path`` (and its parents) if missing; a :class:`NotebookError` naming
    ``option`` if the system refuses."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror.lower() if error.strerror else error
        raise NotebookError(f"{option} {path}: {reason}") from None
    return Path(path)
