"""The research API of the researcher's own lab, and datasets pulled peer to peer from the providers."""

import html
import json
import os
import pathlib
import re
import urllib.error
import urllib.parse
import urllib.request

import pyarrow as pa

from . import _stream
from ._errors import AccessDenied, AgreementExpired, AuthenticationFailed, DatasetNotFound, LabUnreachable, LabspaceError


def connect(url=None, api_key=None, timeout=120):
    """The research API of your lab: ``url`` like ``http://127.0.0.1:29195/research``, ``api_key`` the key your lab
    administrator issued. Both default to the environment variables LABSPACE_URL and LABSPACE_API_KEY."""
    url = url or os.environ.get("LABSPACE_URL")
    api_key = api_key or os.environ.get("LABSPACE_API_KEY")
    if not url:
        raise ValueError("no research API URL: pass url=... or set LABSPACE_URL")
    if not api_key:
        raise ValueError("no researcher key: pass api_key=... or set LABSPACE_API_KEY (ask your lab administrator)")
    return Lab(url, api_key, timeout)


class SearchResults(list):
    """Datasets found in the network; a list of dicts that shows as a table in Jupyter."""

    _COLUMNS = ("lab", "id", "title", "rowCount", "schemaSummary")

    def _repr_html_(self):
        rows = "".join("<tr>" + "".join("<td>%s</td>" % html.escape(str(r.get(c, ""))) for c in self._COLUMNS) + "</tr>" for r in self)
        return "<table><tr>" + "".join("<th>%s</th>" % c for c in self._COLUMNS) + "</tr>" + rows + "</table>"

    def __repr__(self):
        return "\n".join("%s/%s  %s  (%s rows; %s)" % (r.get("lab"), r.get("id"), r.get("title"), r.get("rowCount"), r.get("schemaSummary"))
                         for r in self) or "no datasets found"


class PolicyText(list):
    """The offers of a dataset, readable as text."""

    def __str__(self):
        if not self:
            return "no offer to this lab"
        lines = []
        for offer in self:
            lines.append("for %s:" % offer.get("purpose"))
            for kind in ("conditions", "restrictions", "duties"):
                for item in offer.get(kind, []):
                    lines.append("  %s" % item)
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def purposes(self):
        return [offer.get("purpose") for offer in self]


class Lab:
    """Your lab's research API."""

    def __init__(self, url, api_key, timeout=120):
        self.url = url.rstrip("/")
        self._key = api_key
        self.timeout = timeout

    def __repr__(self):
        return "Lab(%r)" % self.url

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self._key, "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read().decode("utf-8"))
            except ValueError:
                error = {"message": str(e.reason)}
            message = error.get("message", str(e.reason))
            kind = error.get("error")
            if e.code == 401:
                raise AuthenticationFailed(message) from None
            if kind == "AgreementExpired":
                raise AgreementExpired(message, error.get("constraints", ())) from None
            if kind == "AccessDenied" or e.code == 403:
                raise AccessDenied(message, error.get("constraints", ())) from None
            if kind == "DatasetNotFound" or e.code == 404:
                raise DatasetNotFound(message) from None
            if kind == "LabUnreachable" or e.code >= 500:
                raise LabUnreachable(message) from None
            raise ValueError(message) from None
        except (urllib.error.URLError, OSError) as e:
            raise LabUnreachable("cannot reach the research API at %s: %s" % (self.url, e)) from None

    def search(self, text=None, column=None, lab=None, license=None, limit=100):
        """Datasets of the network matching words of ``text`` and having a column named ``column``."""
        query = {k: v for k, v in {"q": text, "column": column, "lab": lab, "license": license, "limit": limit}.items() if v is not None}
        return SearchResults(self._call("GET", "/v1/datasets?" + urllib.parse.urlencode(query))["results"])

    def dataset(self, name):
        """A dataset by ``lab/id``, e.g. ``lab-madrid/air-quality``."""
        if "/" not in name:
            raise ValueError("a dataset is named LAB/ID, e.g. lab-madrid/air-quality; got %r" % name)
        lab, id_ = name.split("/", 1)
        return Dataset(self, name, self._call("GET", "/v1/datasets/%s/%s" % (urllib.parse.quote(lab), urllib.parse.quote(id_))))

    def mine(self):
        """The agreements and transfers you obtained through your lab: ``{"agreements": [...], "transfers": [...]}``."""
        return self._call("GET", "/v1/mine")

    def access(self, dataset, purpose, new_transfer=False):
        """An agreement (reused while valid) and a transfer for the dataset: the endpoint and token to stream it. Your
        running transfer of the same dataset and purpose is reused unless ``new_transfer``."""
        body = {"dataset": dataset, "purpose": purpose}
        if new_transfer:
            body["newTransfer"] = True
        return self._call("POST", "/v1/access", body)


class Dataset:
    """A dataset of another lab. Reading it asks your lab for access for a purpose, then streams it from the provider."""

    def __init__(self, lab, name, details):
        self._lab = lab
        self.name = name
        self.details = details

    def __repr__(self):
        return "Dataset(%s: %s, %s rows)" % (self.name, self.details.get("title"), self.details.get("rowCount"))

    @property
    def schema(self):
        """The columns as the provider registered them (before any agreement's restrictions)."""
        return pa.schema([_field(c) for c in self.details.get("columns", [])])

    @property
    def policy(self):
        """The provider's offers to your lab, in plain words: one per purpose, with conditions, restrictions and duties."""
        return PolicyText(self.details.get("offers", []))

    @property
    def duties(self):
        """What you must do when you use the data (cite, delete after a time), over all offers."""
        return self.details.get("duties", [])

    def _open(self, purpose, new_transfer=False):
        if not purpose:
            raise ValueError("say why you use the data: purpose='research.non-commercial', 'research.ai-training', 'research.evaluation', 'education' or 'commercial'")
        return self._lab.access(self.name, purpose, new_transfer)

    def iter_batches(self, purpose, columns=None, filter=None, limit=None, compression=None, progress=True, resume_for=120.0,
                     _on_schema=None):
        """The dataset as Arrow record batches, one at a time: memory stays at about one batch. A dropped connection
        is resumed where it broke, for up to ``resume_for`` seconds without progress."""
        access = self._open(purpose)
        bar = _progress(progress, access, columns, filter, limit, self.name)
        started = [False]

        def on_batch(batch, received):
            started[0] = True
            if bar is not None:
                bar.update(batch.num_rows)
                bar.set_postfix_str(_size(received), refresh=False)

        def on_retry(rows, error):
            if bar is not None:
                bar.set_postfix_str("connection lost after %d rows (%s); resuming" % (rows, error), refresh=True)

        def stream(access):
            return _stream.batches(access["endpoint"], access["token"], columns, filter, limit, compression, resume_for=resume_for,
                                   timeout=self._lab.timeout, on_batch=on_batch, on_schema=_on_schema, on_retry=on_retry)

        try:
            try:
                for batch in stream(access):
                    yield batch
            except AgreementExpired:
                # a reused transfer's token can expire at a provider with a short token lifetime: ask once for a new
                # transfer (a revoked or expired agreement is refused again, and that refusal is raised)
                if started[0] or not access.get("transferReused"):
                    raise
                for batch in stream(self._open(purpose, new_transfer=True)):
                    yield batch
        finally:
            if bar is not None:
                bar.close()

    def to_arrow(self, purpose, columns=None, filter=None, limit=None, compression=None, progress=True):
        """The dataset as a pyarrow Table, read straight from the provider's data plane."""
        schema = []
        batches = list(self.iter_batches(purpose, columns, filter, limit, compression, progress, _on_schema=schema.append))
        if not batches:
            return schema[0].empty_table() if schema else pa.table({})
        return pa.Table.from_batches(batches, schema=schema[0])

    def to_pandas(self, purpose, columns=None, filter=None, limit=None, compression=None, progress=True):
        return self.to_arrow(purpose, columns, filter, limit, compression, progress).to_pandas()

    def to_polars(self, purpose, columns=None, filter=None, limit=None, compression=None, progress=True):
        import polars
        return polars.from_arrow(self.to_arrow(purpose, columns, filter, limit, compression, progress))

    def download(self, path, purpose, columns=None, filter=None, limit=None, compression=None, progress=True):
        """Writes a local Parquet copy, batch by batch, into ``path`` (a partial file is removed if the read fails)."""
        import pyarrow.parquet as pq
        target = pathlib.Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        writer = None
        try:
            for batch in self.iter_batches(purpose, columns, filter, limit, compression, progress):
                if writer is None:
                    writer = pq.ParquetWriter(partial, batch.schema)
                writer.write_batch(batch)
            if writer is None:
                raise LabspaceError("the stream carried no batch; nothing written")
            writer.close()
            writer = None
            partial.replace(target)
        finally:
            if writer is not None:
                writer.close()
            if partial.exists():
                partial.unlink()
        return target


def _size(n):
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1000.0


_INT = re.compile(r"Int\((\d+), (true|false)\)")
_TIMESTAMP = re.compile(r"Timestamp\((SECOND|MILLISECOND|MICROSECOND|NANOSECOND), (.*)\)")
_TIME = re.compile(r"Time\((SECOND|MILLISECOND|MICROSECOND|NANOSECOND), (\d+)\)")
_DECIMAL = re.compile(r"Decimal\((\d+), (\d+), (\d+)\)")
_UNITS = {"SECOND": "s", "MILLISECOND": "ms", "MICROSECOND": "us", "NANOSECOND": "ns"}
_SIMPLE = {"Utf8": pa.string(), "LargeUtf8": pa.large_string(), "Binary": pa.binary(), "LargeBinary": pa.large_binary(),
           "Bool": pa.bool_(), "Null": pa.null(), "FloatingPoint(HALF)": pa.float16(), "FloatingPoint(SINGLE)": pa.float32(),
           "FloatingPoint(DOUBLE)": pa.float64(), "Date(DAY)": pa.date32(), "Date(MILLISECOND)": pa.date64()}


def _field(column):
    """A catalog column as a pyarrow field. The catalog names types as Arrow Java prints them (``Int(64, true)``,
    ``Timestamp(MICROSECOND, null)``); a type this client does not know (nested ones) becomes null-typed, with the
    provider's name for it in the field's metadata under ``arrow_type``."""
    name, text = column["name"], column.get("arrowType", column.get("type", ""))
    kind = _SIMPLE.get(text)
    if kind is None:
        if m := _INT.fullmatch(text):
            kind = (pa.int8, pa.int16, pa.int32, pa.int64)[[8, 16, 32, 64].index(int(m[1]))]() if m[2] == "true" \
                else (pa.uint8, pa.uint16, pa.uint32, pa.uint64)[[8, 16, 32, 64].index(int(m[1]))]()
        elif m := _TIMESTAMP.fullmatch(text):
            kind = pa.timestamp(_UNITS[m[1]], None if m[2] == "null" else m[2])
        elif m := _TIME.fullmatch(text):
            kind = pa.time32(_UNITS[m[1]]) if m[2] == "32" else pa.time64(_UNITS[m[1]])
        elif m := _DECIMAL.fullmatch(text):
            kind = (pa.decimal128 if m[3] == "128" else pa.decimal256)(int(m[1]), int(m[2]))
        else:
            try:
                kind = pa.type_for_alias(text.lower())
            except (ValueError, KeyError):
                return pa.field(name, pa.null(), metadata={"arrow_type": text})
    return pa.field(name, kind)


def _progress(progress, access, columns, filter, limit, name):
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    try:
        total = _stream.info(access["endpoint"], access["token"], columns, filter, limit).get("rows")
    except LabspaceError:
        total = None
    return tqdm(total=total, unit="rows", unit_scale=True, desc=name)
