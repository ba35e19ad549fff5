"""The researcher's client against the running sample labs: search, read, narrow, restrictions, errors."""

import pathlib

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import labspace

ROOT = pathlib.Path(__file__).resolve().parents[3]
AIR = ROOT / "samples" / "iberian-network" / "data" / "datasets" / "lab-madrid" / "air-quality"


def source_air_quality():
    return pq.read_table(AIR)


def test_search_finds_madrids_air_quality_by_words_and_column(lab):
    found = lab.search("air", column="pm25")
    assert [(r["lab"], r["id"]) for r in found] == [("lab-madrid", "air-quality")]
    assert "<table>" in found._repr_html_()
    ds = lab.dataset("lab-madrid/air-quality")
    assert ds.details["rowCount"] == 1_315_200
    # the schema as the provider registered it, with Arrow's types (the same as the stream's)
    assert ds.schema.equals(source_air_quality().schema.remove_metadata().set(5, pa.field("year", pa.int64())), check_metadata=False)
    assert set(ds.policy.purposes()) == {"research.non-commercial", "research.ai-training", "research.evaluation", "education"}
    assert ds.duties == ['duty: cite "Madrid AI Lab, air quality sensors (synthetic), 2022-2024"']
    clinical = lab.dataset("lab-madrid/clinical-sandbox").policy
    assert "accreditations include ethics-board-approved" in str(clinical)
    assert "without the columns postal_code" in str(clinical)


def test_to_arrow_brings_every_row_of_the_source(lab):
    table = lab.dataset("lab-madrid/air-quality").to_arrow(purpose="research.ai-training", progress=False)
    source = source_air_quality()
    assert table.num_rows == source.num_rows == 1_315_200
    assert table.column_names == ["station", "measured", "pm25", "no2", "pm10", "year"]
    assert pc.sum(table["pm25"]).as_py() == pytest.approx(pc.sum(source["pm25"]).as_py())
    assert pc.min(table["measured"]).as_py() == pc.min(source["measured"]).as_py()
    assert pc.max(table["measured"]).as_py() == pc.max(source["measured"]).as_py()


def test_projection_and_filter_are_applied_by_the_provider(lab):
    table = lab.dataset("lab-madrid/air-quality").to_arrow(purpose="research.ai-training", columns=["station", "pm25"],
                                                            filter="pm25 > 40", progress=False)
    source = source_air_quality()
    assert table.column_names == ["station", "pm25"]
    assert table.num_rows == pc.sum(pc.greater(source["pm25"], 40)).as_py()
    assert pc.min(table["pm25"]).as_py() > 40


def test_iter_batches_streams_one_batch_at_a_time_and_limit_holds(lab):
    ds = lab.dataset("lab-madrid/air-quality")
    sizes = [b.num_rows for b in ds.iter_batches(purpose="research.ai-training", limit=200_000, progress=False)]
    assert sum(sizes) == 200_000
    assert max(sizes) <= 64_000


def test_pandas_polars_and_download(lab, tmp_path):
    ds = lab.dataset("lab-madrid/air-quality")
    frame = ds.to_pandas(purpose="education", columns=["station", "no2"], limit=1000, progress=False)
    assert frame.shape == (1000, 2)
    polars_frame = ds.to_polars(purpose="education", columns=["pm10"], limit=500, progress=False)
    assert polars_frame.shape == (500, 1)
    copy = ds.download(tmp_path / "sandbox" / "air.parquet", purpose="education", filter="station = 1", progress=False)
    written = pq.read_table(copy)
    assert written.num_rows > 0
    assert set(written["station"].to_pylist()) == {1}
    assert not (tmp_path / "sandbox" / "air.parquet.partial").exists()


def test_a_masked_column_arrives_masked_and_a_denied_one_raises(lab):
    ds = lab.dataset("lab-madrid/clinical-sandbox")
    table = ds.to_arrow(purpose="research.evaluation", progress=False)
    assert table.num_rows == 5000
    assert "postal_code" not in table.column_names
    assert all(" " not in name and len(name) == 64 for name in table["full_name"].to_pylist())
    assert table["birth_date"].null_count == 5000
    # the access answer states the columns after the restrictions, as the stream carries them
    granted = lab.access("lab-madrid/clinical-sandbox", "research.evaluation")
    assert [c["name"] for c in granted["schema"]] == table.column_names
    with pytest.raises(labspace.AccessDenied, match="postal_code"):
        ds.to_arrow(purpose="research.evaluation", columns=["patient_id", "postal_code"], progress=False)


def test_mine_lists_the_agreements_and_transfers_i_obtained(lab):
    lab.dataset("lab-madrid/air-quality").to_arrow(purpose="research.evaluation", limit=10, progress=False)
    mine = lab.mine()
    assert any(a["dataset"] == "lab-madrid/air-quality" and a["purpose"] == "research.evaluation" for a in mine["agreements"])
    assert any(t["dataset"] == "lab-madrid/air-quality" for t in mine["transfers"])


def test_errors_a_researcher_understands(lab, network):
    with pytest.raises(labspace.AccessDenied) as refused:
        lab.dataset("lab-madrid/air-quality").to_arrow(purpose="commercial", progress=False)
    assert "no purpose commercial" in str(refused.value)
    with pytest.raises(labspace.DatasetNotFound):
        lab.dataset("lab-madrid/no-such-dataset")
    with pytest.raises(ValueError, match="position"):
        lab.dataset("lab-madrid/air-quality").to_arrow(purpose="education", filter="pm25 >> 3", progress=False)
    with pytest.raises(labspace.AuthenticationFailed):
        labspace.connect(network, api_key="lsr_not-a-key").search("air")
    with pytest.raises(labspace.LabUnreachable):
        labspace.connect("http://127.0.0.1:9/research", api_key="lsr_x").search("air")
    with pytest.raises(ValueError, match="LAB/ID"):
        lab.dataset("air-quality")


def test_a_read_resumes_when_the_provider_is_killed_and_restarted_mid_stream(lab):
    import os
    import signal
    import threading
    import time
    from conftest import lab_process, restart_lab, SAMPLE

    ds = lab.dataset("lab-madrid/air-quality")
    log = SAMPLE / "data" / "logs" / "lab-madrid.log"
    pid = lab_process("lab-madrid")
    assert pid, "lab-madrid's connector process not found"
    java = os.readlink("/proc/%d/exe" % pid)
    batches = ds.iter_batches(purpose="research.non-commercial", progress=False)
    received = [next(batches)]
    # the provider dies mid-stream, as a crash or an out-of-memory kill would do it, and its operator restarts it
    os.kill(pid, signal.SIGKILL)
    while os.path.exists("/proc/%d" % pid) and open("/proc/%d/stat" % pid).read().split()[2] != "Z":
        time.sleep(0.05)
    log_before_restart = log.stat().st_size
    restarted = threading.Timer(1.0, restart_lab, ("lab-madrid", java))
    restarted.start()
    started = time.monotonic()
    received.extend(batches)
    restarted.join()
    table = pa.Table.from_batches(received)
    source = source_air_quality()
    assert table.num_rows == source.num_rows
    # the partition column comes as a dictionary from the local read, as plain integers from the stream
    assert table.equals(source.select(table.column_names).cast(table.schema)), "rows duplicated, missing or out of order after the resume"
    # the rest came from the restarted connector, starting past the rows already read
    restarted_log = log.read_text(errors="replace")[log_before_restart:]
    assert "Stream of air-quality for lab-lisbon" in restarted_log, restarted_log[-2000:]
    assert time.monotonic() - started < 120


def test_a_second_read_reuses_the_running_transfer_unless_a_new_one_is_asked(lab):
    first = lab.access("lab-madrid/air-quality", "education")
    again = lab.access("lab-madrid/air-quality", "education")
    assert again["agreementReused"] and again["transferReused"]
    assert again["transferId"] == first["transferId"]
    fresh = lab.access("lab-madrid/air-quality", "education", new_transfer=True)
    assert not fresh["transferReused"]
    assert fresh["transferId"] != first["transferId"]
    # either token reads the dataset
    ds = lab.dataset("lab-madrid/air-quality")
    assert ds.to_arrow(purpose="education", limit=10, progress=False).num_rows == 10
