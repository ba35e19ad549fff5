"""The sample notebook runs top to bottom against the sample labs: every cell, as a researcher would run it."""

import base64
import os
import pathlib

import nbformat
from nbclient import NotebookClient

NOTEBOOK = pathlib.Path(__file__).resolve().parents[3] / "samples" / "iberian-network" / "researcher.ipynb"


def test_the_researcher_notebook_runs_every_cell(network, researcher_key, tmp_path, monkeypatch):
    monkeypatch.setenv("LABSPACE_URL", network)
    monkeypatch.setenv("LABSPACE_API_KEY", researcher_key)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "keep the notebook saved without outputs"
    # a failing cell raises CellExecutionError, naming the cell and its error
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()

    text = "\n".join(_text(cell) for cell in notebook.cells if cell.cell_type == "code")
    assert "lab-madrid" in text and "air-quality" in text
    assert "readings above 45" in text
    assert "refused:" in text and "postal_code" in text
    assert "no purpose commercial" in text
    assert "birth_date values kept: 0" in text
    images = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs if "image/png" in output.get("data", {})]
    assert len(images) == 1, "the plot cell draws one figure"
    assert base64.b64decode(images[0]["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


def _text(cell):
    parts = []
    for output in cell.outputs:
        if "text" in output:
            parts.append(output["text"])
        for kind in ("text/plain", "text/html"):
            if kind in output.get("data", {}):
                parts.append(output["data"][kind])
    return "\n".join(parts)
