"""Progress bars (``progress=True`` of ``hc.run_experiment`` and ``hc.map_sweep``,
``hebblab/progress.py``): tqdm's bar while a run goes on, and in a saved notebook the bar's final
state, so that a page without a kernel (GitHub, the course's site) shows where the run ended
instead of a widget frozen at 0 %."""

import configparser
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import hebb_core as hc

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# tqdm's meter: "100%|██████████| 1680/1680 [00:01<00:00, 1337.39run/s]"
METER = re.compile(r"(\d+)%\|[^|\n]*\|\s*(\d+)/(\d+)\b")


def shown_texts(output):
    """The texts an output shows: a stream as it reads after its carriage-return redraws, and each
    text type."""
    if output.get("output_type") == "stream":
        return ["\n".join(line.rsplit("\r", 1)[-1] for line in output.get("text", "").split("\n"))]
    data = output.get("data", {})
    return [text if isinstance(text, str) else "".join(text)
            for kind, text in data.items() if kind.startswith("text/")]


def unfinished_bars(notebook):
    """``(cell index, text)`` of each progress bar that a saved output shows short of its total, or
    as a widget (whose saved text is its first state)."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            for text in shown_texts(output):
                for meter in METER.finditer(text):
                    percent, done, total = map(int, meter.groups())
                    if WIDGET_VIEW in output.get("data", {}) or done != total or percent != 100:
                        found.append((index, meter.group(0)))
    return found


def bars(notebook):
    return sum(len(METER.findall(text)) for cell in notebook.cells
               for output in cell.get("outputs", []) for text in shown_texts(output))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_no_committed_output_shows_an_unfinished_bar(path):
    assert unfinished_bars(nbformat.read(path, as_version=4)) == []


def test_the_committed_notebooks_show_their_bars():
    counts = {path.stem[:2]: bars(nbformat.read(path, as_version=4)) for path in NOTEBOOKS}
    # the sweeps of 04 and 05 (04's sweep explorer shows "computing …" instead of a bar)
    assert counts["04"] >= 2 and counts["05"] >= 2


@pytest.mark.parametrize("output, unfinished", [
    (nbformat.v4.new_output("display_data",
                            data={"text/plain": "100%|██████████| 6/6 [00:01<00:00, 5.1run/s]"}),
     False),
    (nbformat.v4.new_output("display_data",
                            data={"text/plain": "  0%|          | 0/6 [00:00<?, ?run/s]"}), True),
    (nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "x"},
                                                  "text/plain": "100%|██████████| 6/6 "
                                                                "[00:01<00:00, 5.1run/s]"}),
     True),  # a widget's saved text is its first state, whatever it says
    (nbformat.v4.new_output("stream", name="stderr",
                            text=" 50%|█████     | 3/6 [00:01<00:01]\r100%|██████████| 6/6 "
                                 "[00:02<00:00]\n"), False),
    (nbformat.v4.new_output("stream", name="stderr",
                            text=" 50%|█████     | 3/6 [00:01<00:01]\n"), True),
])
def test_an_unfinished_bar_is_found(output, unfinished):
    notebook = new_notebook(cells=[new_code_cell("run()", outputs=[output])])
    assert bool(unfinished_bars(notebook)) is unfinished


def test_a_notebook_keeps_the_final_state_of_its_bars(tmp_path):
    """Run in a kernel, the bar is a live widget that ends full, and the saved output is its final
    line."""
    notebook = new_notebook(cells=[
        new_code_cell("import hebb_core as hc\n"
                      "table = hc.run_experiment(hc.Params(L=2, N=2), progress=True)\n"
                      "maps = hc.map_sweep(seeds=[0, 1], params=hc.MapParams(size=4, "
                      "presentations=20), chunk_size=1,"
                      " progress=True)\n"
                      "print(len(table), len(maps))"),
    ])
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[0].outputs
    shown = [output.data for output in outputs if output.output_type == "display_data"]
    # no widget left in the output
    assert [list(data) for data in shown] == [["text/plain"], ["text/plain"]]
    assert re.fullmatch(r"100%\|█{10}\| 2/2 \[.*(?:run/s|s/run)\]", shown[0]["text/plain"])
    assert re.fullmatch(r"100%\|█{10}\| 2/2 \[.*(?:map/s|s/map)\]", shown[1]["text/plain"])
    assert outputs[-1].text == "2 2\n"
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    progress = [model["state"] for model in state.values()
                if model["model_name"] == "FloatProgressModel"]
    # the live bars ended full
    assert [(bar["value"], bar["max"]) for bar in progress] == [(2, 2), (2, 2)]


def test_outside_a_notebook_the_bar_is_tqdms_text_on_stderr(capsys):
    hc.run_experiment(hc.Params(L=2, N=2), progress=True)
    assert re.search(r"100%\|█{10}\| 2/2 \[", capsys.readouterr().err)
    hc.run_experiment(hc.Params(L=2, N=2))
    assert capsys.readouterr() == ("", "")  # no bar unless asked for


def sanitised(text):
    """``text`` through the sanitisers that ``make test`` gives nbval, in their order."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    for section in config.sections():
        text = re.sub(config[section]["regex"],
                      config[section]["replace"].replace("\\1", r"\1"), text)
    return text


def test_nbval_compares_a_bars_total_not_its_state():
    """nbval keeps a display's first state (it ignores display updates): the widget's 0 % stands
    against the saved final line, and the two must compare equal; another total must not."""
    first, final = "  0%|          | 0/1680 [00:00<?, ?run/s]", ("100%|██████████| 1680/1680 "
                                                                 "[00:01<00:00, 1337.39run/s]")
    assert sanitised(first) == sanitised(final)
    assert sanitised(first) != sanitised("100%|██████████| 1080/1080 [00:01<00:00, 758.68run/s]")
