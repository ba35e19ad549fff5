"""The researchers' steps of the Iberian network story (run by run.sh), written with the labspace client as a
researcher would write them in a notebook. Each subcommand prints what happens and exits non-zero when the story
does not go as it should."""

import argparse
import pathlib
import sys

import pyarrow.compute as pc

import labspace

AIR = "lab-madrid/air-quality"
CLINICAL = "lab-madrid/clinical-sandbox"
PURPOSE = "research.non-commercial"


def say(text=""):
    print("      " + text, flush=True)


def fail(text):
    print("      STORY BROKEN: " + text, file=sys.stderr, flush=True)
    sys.exit(1)


def connect(args):
    key = pathlib.Path(args.key_file).read_text().strip()
    return labspace.connect(args.url, api_key=key)


def researcher(args):
    """ana.silva at lab-lisbon: search, read the policy, pull air quality and the clinical sandbox, chart."""
    lab = connect(args)
    found = lab.search("air quality", column="pm25")
    say(">>> lab.search('air quality', column='pm25')")
    for d in found:
        say("  %s/%s  %s  (%s rows)" % (d["lab"], d["id"], d["title"], format(d.get("rowCount") or 0, ",")))
    if not any(d["lab"] == "lab-madrid" and d["id"] == "air-quality" for d in found):
        fail("the search did not find %s" % AIR)

    ds = lab.dataset(AIR)
    say(">>> ds = lab.dataset('%s'); print(ds.policy)" % AIR)
    for line in str(ds.policy).splitlines():
        say("  " + line)

    say(">>> table = ds.to_arrow(purpose='%s')" % PURPOSE)
    table = ds.to_arrow(purpose=PURPOSE, progress=False)
    if table.num_rows != ds.details["rowCount"]:
        fail("%s rows arrived, the provider registered %s" % (table.num_rows, ds.details["rowCount"]))
    years = sorted(set(table["year"].to_pylist()))
    stations = len(pc.unique(table["station"]))
    say("  %s rows, %d stations, years %s, columns %s" % (format(table.num_rows, ","), stations, years, table.column_names))
    for year in years:
        rows = table.filter(pc.equal(table["year"], year))
        say("  %s: mean PM2.5 %.1f µg/m³, NO2 %.1f µg/m³, PM10 missing in %d readings"
            % (year, pc.mean(rows["pm25"]).as_py(), pc.mean(rows["no2"]).as_py(), rows["pm10"].null_count))
    chart(table, pathlib.Path(args.out) / "air-quality-pm25.png")
    access = lab.access(AIR, PURPOSE)
    (pathlib.Path(args.out) / "lab-lisbon-air-quality.agreement").write_text(access["agreementId"] + "\n")
    say("  under agreement %s; duties: %s" % (access["agreementId"], access.get("duties") or "none"))

    say(">>> clinical = lab.dataset('%s').to_arrow(purpose='research.evaluation')" % CLINICAL)
    clinical = lab.dataset(CLINICAL).to_arrow(purpose="research.evaluation", progress=False)
    first = clinical.slice(0, 1).to_pylist()[0]
    say("  %s patients; columns %s" % (format(clinical.num_rows, ","), clinical.column_names))
    say("  first row as lab-lisbon received it: full_name=%s... birth_date=%s diagnosis=%s"
        % (first["full_name"][:16], first["birth_date"], first["diagnosis_icd10"]))
    if "postal_code" in clinical.column_names:
        fail("postal_code should be withheld by the clinical-iberian policy")
    if clinical["birth_date"].null_count != clinical.num_rows or any(" " in n for n in clinical["full_name"].to_pylist()):
        fail("the clinical sandbox arrived unmasked")
    say("  full_name is a salted hash, birth_date is blank and postal_code withheld: no personal data left lab-madrid")


def chart(table, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monthly = (table.select(["measured", "pm25"]).to_pandas()
               .assign(month=lambda f: f["measured"].dt.to_period("M").dt.to_timestamp())
               .groupby("month")["pm25"].mean())
    figure, axis = plt.subplots(figsize=(8, 3.5))
    axis.plot(monthly.index, monthly.values)
    axis.set_title("Madrid air quality (synthetic): monthly mean PM2.5 over all stations")
    axis.set_ylabel("µg/m³")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    say("  chart written: %s" % path)


def refused(args):
    """marc.vidal at acme-ai (a company): the clinical sandbox is for public research and universities only."""
    lab = connect(args)
    say(">>> lab.dataset('%s').to_arrow(purpose='research.evaluation')" % CLINICAL)
    try:
        lab.dataset(CLINICAL).to_arrow(purpose="research.evaluation", progress=False)
    except labspace.AccessDenied as e:
        say("  AccessDenied: %s" % e)
        for constraint in e.constraints:
            say("    - %s" % constraint)
        if not e.constraints:
            fail("the refusal names no failing condition")
        return
    except labspace.DatasetNotFound as e:
        fail("acme-ai should see the clinical sandbox (its country is ES) and be refused, but: %s" % e)
    fail("acme-ai, a company, got the clinical sandbox")


def revoked(args):
    """ana.silva's next pull after lab-madrid revoked the agreement."""
    lab = connect(args)
    say(">>> lab.dataset('%s').to_arrow(purpose='%s')" % (AIR, PURPOSE))
    try:
        lab.dataset(AIR).to_arrow(purpose=PURPOSE, progress=False)
    except labspace.AgreementExpired as e:
        say("  AgreementExpired: %s" % e)
        if args.agreement not in str(e):
            fail("the refusal does not name the revoked agreement %s" % args.agreement)
        return
    fail("the pull under revoked agreement %s was not refused" % args.agreement)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["researcher", "refused", "revoked"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--agreement")
    args = parser.parse_args()
    try:
        {"researcher": researcher, "refused": refused, "revoked": revoked}[args.step](args)
    except labspace.LabspaceError as e:
        fail("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
