"""Every link leads somewhere: in the notebooks' markdown, the README, ``docs/`` and the pages of
the static site.

A link to a file of the project must name a file or folder that exists (relative to the document),
and its ``#anchor``, where it has one, a heading or an ``id`` there: for a notebook, a heading's
anchor as JupyterLab and GitHub write it; for a markdown file, GitHub's; for a page of the site, an
``id`` of the page. A link to the web (``http(s)://``) is only checked for its form: these tests
use no network.
"""

import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[^\n]*$|`+[^`\n]*`+", re.S | re.M)
TARGETS = [
    # [text](target "title"), ![alt](target)
    re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"),
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M),  # [label]: target
    re.compile(r"\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']"),  # raw HTML
    re.compile(r"<(https?://[^>\s]+)>"),  # <https://…>
]
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$", re.M)
IDS = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]+)"|'([^']+)')""")


def ids_in(text):
    """The values of the ``id`` and ``name`` attributes in a text."""
    return {double or single for double, single in IDS.findall(text)}


def links(markdown):
    """The link targets of a markdown text (code spans and fenced code left out), in order."""
    text = CODE.sub("", markdown)
    found = sorted((match.start(),
                    match.group(1)) for pattern in TARGETS for match in pattern.finditer(text))
    return [target for _, target in found]


def plain(heading):
    """A heading's text as it reads: links keep their text, markup and HTML tags are dropped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[*_`]+", "", text).strip()


def github_slugs(headings):
    """GitHub's anchors for these headings: lower case, punctuation dropped, spaces as hyphens,
    repeats numbered."""
    slugs, seen = set(), {}
    for heading in headings:
        slug = "".join(ch for ch in plain(heading).lower()
                       if ch in " -_" or unicodedata.category(ch)[0] in "LN")
        slug = slug.replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        slugs.add(slug if count == 0 else f"{slug}-{count}")
    return slugs


def anchors_of(path):
    """The anchors a file offers: its headings' (as JupyterLab and GitHub write them) and its
    ids."""
    if path.suffix == ".ipynb":
        text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                         if cell.cell_type == "markdown")
        headings = HEADING.findall(CODE.sub("", text))
        return {plain(h).replace(" ",
                                 "-") for h in headings} | github_slugs(headings) | ids_in(text)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return github_slugs(HEADING.findall(CODE.sub("", text))) | ids_in(text)
    ids = {html.unescape(value) for value in ids_in(text)}
    return ids | {unquote(value) for value in ids}  # nbconvert writes its ids percent-encoded


def problem(target, document, root=ROOT):
    """What is wrong with the link ``target`` found in ``document`` (a path), or ``None``."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        host = re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?", parts.netloc)
        well_formed = host and not re.search(r"\s", target)
        return None if well_formed else "a malformed web address"
    if parts.scheme == "mailto":
        return None if "@" in parts.path else "a malformed mail address"
    if parts.scheme or parts.netloc:
        return f"an address of another kind ({parts.scheme or parts.netloc})"
    path = (document.parent / unquote(parts.path)).resolve() if parts.path else document
    if not path.is_relative_to(root):
        return "outside the project"
    if not path.exists():
        return "no such file"
    anchor = parts.fragment
    if anchor and path.is_file() and path.suffix in (".ipynb", ".md", ".html") \
            and not {anchor, unquote(anchor)} & anchors_of(path):
        return f"no anchor #{unquote(anchor)} in {path.name}"
    return None


def document_links(path):
    """The links of a notebook (its markdown cells), a markdown file or a page."""
    if path.suffix == ".ipynb":
        return [target for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown" for target in links(cell.source)]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return [html.unescape(target)
                for target in re.findall(r"\b(?:href|src)\s*=\s*\"([^\"]+)\"", text)]
    return links(text)


def broken(path, root=ROOT):
    return [(target, why) for target in document_links(path) if not target.startswith("data:")
            if (why := problem(target, path, root))]


@pytest.mark.parametrize("path", NOTEBOOKS + MARKDOWN,
                         ids=[path.name for path in NOTEBOOKS + MARKDOWN])
def test_every_link_of_the_notebooks_and_docs_resolves(path):
    assert broken(path) == []


def test_the_notebooks_and_docs_have_links():
    counts = {path.name: len(document_links(path)) for path in NOTEBOOKS + MARKDOWN}
    assert counts["README.md"] >= 10 and all(counts[path.name] >= 1 for path in NOTEBOOKS)


def test_every_link_of_the_site_resolves_within_the_site(site):
    pages = sorted(site.glob("*.html"))
    guides = (sorted((ROOT / "docs").glob("teaching_guide*.md"))
              + sorted((ROOT / "docs").glob("troubleshooting.md")))
    # a page and a deck each, the guides, the index
    assert len(pages) == 2 * len(NOTEBOOKS) + len(guides) + 1
    found = {page.name: broken(page, root=site) for page in pages}
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert sum(len(document_links(page)) for page in pages) > 100  # the pages were read


# ── the checks, on made-up documents ─────────────────────────────────────────────────────────────


def test_links_are_found_outside_code():
    markdown = ("[a](one.ipynb) ![b](fig.png \"title\") "
                "[![c](https://x.org/b.svg)](https://x.org/run)\n"
                "`[not](code.md)`\n```\n[not](fenced.md)\n```\n<a href=\"page.html#top\">d</a> "
                "<https://y.org>\n"
                "[ref]: docs/guide.md\n")
    assert links(markdown) == ["one.ipynb", "fig.png", "https://x.org/b.svg", "https://x.org/run",
                               "page.html#top", "https://y.org", "docs/guide.md"]


def test_github_slugs():
    assert github_slugs(["1. The answer, plainly", "What's *new*?", "Notes", "Notes"]) == {
        "1-the-answer-plainly", "whats-new", "notes", "notes-1"}


@pytest.mark.parametrize("target, why", [
    ("https://example.org/a?b=c#d", None),
    ("https://exa mple.org", "a malformed web address"),
    ("http://localhost", "a malformed web address"),
    ("ftp://example.org", "an address of another kind"),
    ("guide.md", None),
    ("guide.md#set-up", None),
    ("guide.md#nowhere", "no anchor #nowhere in guide.md"),
    ("#set-up", "no anchor #set-up in note.md"),  # the note itself has no such heading
    ("missing.md", "no such file"),
    ("../../outside.md", "outside the project"),
    ("nb.ipynb#2.-Hebb's-rule", None),  # JupyterLab's anchor
    ("nb.ipynb#2-hebbs-rule", None),  # GitHub's
    ("nb.ipynb#3.-Other", "no anchor #3.-Other in nb.ipynb"),
    ("page.html#top", None),
    ("page.html#bottom", "no anchor #bottom in page.html"),
])
def test_a_broken_link_is_found(tmp_path, target, why):
    (tmp_path / "guide.md").write_text("# Guide\n\n## Set-up\n")
    (tmp_path / "page.html").write_text('<h1 id="top">Page</h1>')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 2. Hebb's rule")])
    nbformat.write(notebook, tmp_path / "nb.ipynb")
    note = tmp_path / "docs" / "note.md"
    note.parent.mkdir()
    note.write_text("# Note\n")
    found = problem(target if target.startswith(("http", "ftp", "#", "../..")) else f"../{target}",
                    note, tmp_path)
    assert found == why or (why is not None and found is not None and found.startswith(why))
