"""Reading a Labspace data plane stream: Arrow IPC over HTTP, resumed where it broke."""

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pyarrow as pa

from ._errors import AccessDenied, AgreementExpired, LabUnreachable

# Arrow IPC end-of-stream marker: a stream cut by the provider never carries it, so a short read is never taken
# for a complete one (pyarrow accepts a plain end of file as the end of a stream).
_EOS = b"\xff\xff\xff\xff\x00\x00\x00\x00"


class _TailTracking:
    """A binary stream that remembers its last 8 bytes, to check the end-of-stream marker."""

    def __init__(self, raw):
        self._raw = raw
        self.tail = b""
        self.bytes = 0

    def read(self, size=-1):
        data = self._raw.read(size)
        if data:
            self.bytes += len(data)
            self.tail = (self.tail + bytes(data[-8:]))[-8:]
        return data

    def readable(self):
        return True

    @property
    def closed(self):
        return False

    def close(self):
        self._raw.close()


def _query(columns, filter, limit, offset, compression):
    query = {}
    if columns is not None:
        query["columns"] = ",".join(columns)
    if filter:
        query["filter"] = filter
    if limit is not None:
        query["limit"] = str(limit)
    if offset:
        query["offset"] = str(offset)
    if compression and compression != "none":
        query["compression"] = compression
    return urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


def _refusal(error):
    """An HTTP error answer of the data plane as the exception a researcher understands."""
    try:
        message = json.loads(error.read().decode("utf-8")).get("message", error.reason)
    except (ValueError, OSError):
        message = str(error.reason)
    if error.code == 400:
        return ValueError(message)
    if error.code in (401, 403):
        if "expired" in message or "revoked" in message:
            return AgreementExpired(message)
        return AccessDenied(message)
    return LabUnreachable("the data plane answered HTTP %d: %s" % (error.code, message))


def info(endpoint, token, columns=None, filter=None, limit=None, timeout=60):
    url = endpoint.rstrip("/") + "/v1/info?" + _query(columns, filter, limit, 0, None)
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise _refusal(e) from None
    except (urllib.error.URLError, OSError) as e:
        raise LabUnreachable("cannot reach the provider's data plane at %s: %s" % (endpoint, e)) from None


def batches(endpoint, token, columns=None, filter=None, limit=None, compression=None, resume_for=120.0, timeout=60, on_batch=None,
            on_schema=None, on_retry=None):
    """Yields the stream's record batches. A broken stream is resumed at the first row not yet yielded (``offset``);
    while the provider cannot be reached (it restarts, the network drops) the read keeps trying for ``resume_for``
    seconds since the last batch before it gives up with LabUnreachable."""
    rows = 0
    schema = None
    last_progress = time.monotonic()
    pause = 0.1
    while True:
        remaining = None if limit is None else max(0, limit - rows)
        url = endpoint.rstrip("/") + "/v1/stream?" + _query(columns, filter, remaining, rows, compression)
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
        answer = None
        try:
            try:
                answer = urllib.request.urlopen(request, timeout=timeout)
            except urllib.error.HTTPError as e:
                # a connector that is starting again answers 404 until its data plane is in place: that endpoint
                # served this stream moments ago, so wait for it like for a refused connection
                if e.code in (502, 503, 504) or e.code == 404 and schema is not None:
                    raise OSError("HTTP %d" % e.code) from None
                raise _refusal(e) from None
            body = _TailTracking(answer)
            reader = pa.ipc.open_stream(body)
            if schema is None:
                schema = reader.schema
                if on_schema is not None:
                    on_schema(schema)
            elif not reader.schema.equals(schema):
                raise LabUnreachable("the resumed stream has another schema: the dataset changed during the read")
            for batch in reader:
                rows += batch.num_rows
                last_progress = time.monotonic()
                pause = 0.1
                if on_batch is not None:
                    on_batch(batch, body.bytes)
                yield batch
            if body.tail != _EOS:
                raise OSError("the stream ended without its end-of-stream marker")
            return
        except (OSError, pa.ArrowInvalid, http.client.HTTPException) as e:
            waited = time.monotonic() - last_progress
            if waited > resume_for:
                raise LabUnreachable("the stream broke after %d rows and the provider did not answer again for %.0f s: %s"
                                     % (rows, waited, e)) from None
            if on_retry is not None:
                on_retry(rows, e)
            time.sleep(pause)
            pause = min(2.0, pause * 2)
        finally:
            if answer is not None:
                answer.close()
