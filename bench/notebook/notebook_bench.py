"""The Python side of `bench/run.sh --suite notebook` (started by org.labspace.bench.NotebookBench with the labs up).

Prints progress on stderr and one JSON line of medians on stdout. `iterate` mode reads the dataset batch by batch in
this process alone and reports its peak RSS.
"""

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time

import pyarrow.parquet as pq

import labspace


def log(message):
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb():
    """This process's peak resident memory. VmHWM starts again at exec, unlike getrusage's ru_maxrss, which would
    count the pages of the parent this process was forked from."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise SystemExit("no VmHWM in /proc/self/status")


def timed(runs, action, warm_ups=1):
    """Median seconds of `runs` calls after `warm_ups`; the last result is kept for checks."""
    times, result = [], None
    for run in range(warm_ups + runs):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
        if run >= warm_ups:
            times.append(elapsed)
    return statistics.median(times), result


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def iterate(args):
    baseline = peak_rss_mb()
    lab = labspace.connect(args.url, args.key)
    rows = 0
    for batch in lab.dataset(args.dataset).iter_batches(purpose=args.purpose, progress=False):
        rows += batch.num_rows
    print(json.dumps({"rows": rows, "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline}))


def measure(args):
    lab = labspace.connect(args.url, args.key)
    ds = lab.dataset(args.dataset)
    purpose = args.purposes.split(",")[0]
    out = {}

    log("local read (pyarrow.parquet.read_table) ...")
    out["local_read_s"], local = timed(args.runs, lambda: pq.read_table(args.file))
    expected_rows = local.num_rows
    out["local_to_pandas_s"], _ = timed(args.runs, lambda: local.to_pandas())
    del local

    log("ds.to_arrow() ...")
    before = cpu_seconds()
    # two warm-ups, as in the data plane suite: the provider's JIT still compiles the stream path during the first
    out["to_arrow_s"], table = timed(args.runs, lambda: ds.to_arrow(purpose=purpose, progress=False), warm_ups=2)
    out["to_arrow_cpu_s"] = (cpu_seconds() - before) / (args.runs + 2)
    if table.num_rows != expected_rows:
        raise SystemExit("to_arrow brought %d rows, the file has %d" % (table.num_rows, expected_rows))
    del table

    def fresh_transfer_then_read():
        lab.access(args.dataset, purpose, new_transfer=True)
        return ds.to_arrow(purpose=purpose, progress=False)

    log("access(new_transfer=True) + ds.to_arrow() ...")
    out["to_arrow_new_transfer_s"], table = timed(args.runs, fresh_transfer_then_read)
    del table

    log("ds.to_pandas() ...")
    out["to_pandas_s"], frame = timed(args.runs, lambda: ds.to_pandas(purpose=purpose, progress=False))
    del frame
    gc.collect()

    log("iter_batches() in its own process ...")
    child = subprocess.run([sys.executable, __file__, "iterate", "--url", args.url, "--key", args.key, "--dataset", args.dataset,
                            "--purpose", purpose], capture_output=True, text=True, timeout=1800)
    if child.returncode != 0:
        raise SystemExit("iter_batches run failed: " + child.stderr[-2000:])
    iterated = json.loads(child.stdout.strip().splitlines()[-1])
    if iterated["rows"] != expected_rows:
        raise SystemExit("iter_batches brought %d rows, the file has %d" % (iterated["rows"], expected_rows))
    out["iter_batches_rows"] = iterated["rows"]
    out["iter_batches_peak_rss_mb"] = iterated["peak_rss_mb"]
    out["python_baseline_rss_mb"] = iterated["baseline_rss_mb"]

    log("access latency ...")
    # fresh: a dataset and purpose with no agreement yet, asked right after lab.dataset() (which ds.to_arrow() needs
    # first); cold: the first access to a dataset this lab has not looked at (one extra dataset request)
    fresh, cold, reuse, new_transfer = [], [], [], []
    for name in args.latency.split(","):
        for index, p in enumerate(args.purposes.split(",")):
            if index > 0:
                lab.dataset(name)
            started = time.perf_counter()
            granted = lab.access(name, p)
            (cold if index == 0 else fresh).append(time.perf_counter() - started)
            if granted["agreementReused"]:
                raise SystemExit("%s for %s already had an agreement: not a fresh access" % (name, p))
            started = time.perf_counter()
            again = lab.access(name, p)
            reuse.append(time.perf_counter() - started)
            if not (again["agreementReused"] and again["transferReused"]):
                raise SystemExit("the second access to %s for %s reused nothing: %s" % (name, p, again))
            started = time.perf_counter()
            lab.access(name, p, new_transfer=True)
            new_transfer.append(time.perf_counter() - started)
    # the first dataset's accesses warm the labs' negotiation code
    skip = len(args.purposes.split(","))
    out["access_fresh_ms"] = statistics.median(fresh[skip - 1:]) * 1000
    out["access_cold_ms"] = statistics.median(cold[1:]) * 1000
    out["access_reuse_ms"] = statistics.median(reuse[skip:]) * 1000
    out["access_new_transfer_ms"] = statistics.median(new_transfer[skip:]) * 1000
    out["access_samples"] = len(fresh) - (skip - 1)
    print(json.dumps(out))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", default="measure", choices=["measure", "iterate"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", default="")
    parser.add_argument("--purposes", default="research.non-commercial")
    parser.add_argument("--purpose", default="research.non-commercial")
    args = parser.parse_args()
    iterate(args) if args.mode == "iterate" else measure(args)


if __name__ == "__main__":
    main()
