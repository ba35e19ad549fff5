package org.labspace.dataplane.stream;

import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.labspace.dataplane.scan.ParquetScan;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;

/**
 * Writes a scan as an Arrow IPC stream. Batches are pulled from the scan only as fast as {@code out} takes them, so a
 * slow consumer slows the scan and memory stays at a few batches. The guard is asked before every batch; when it
 * cuts the stream, the end-of-stream marker is never written, so the consumer sees an incomplete stream, not a
 * short one.
 */
public final class ArrowStreamSender {

    /** Arrow's IPC writer makes many small writes (metadata, padding); merge them before they reach the socket. */
    private static final int WRITE_BUFFER = 256 * 1024;

    private ArrowStreamSender() {
    }

    /** Sends the whole scan; does not close {@code out} or the scan. */
    public static StreamSummary send(ParquetScan scan, OutputStream out, Compression compression, StreamGuard guard) throws IOException {
        var reader = scan.reader();
        var root = reader.getVectorSchemaRoot();
        var buffered = new BufferedOutputStream(out, WRITE_BUFFER);
        long rows = 0;
        long batches = 0;
        // never closed: ArrowWriter.close() writes the end-of-stream marker, which a cut stream must not carry;
        // the writer holds no memory of its own (the batches belong to the scan)
        var writer = new ArrowStreamWriter(root, reader, Channels.newChannel(buffered), IpcOption.DEFAULT, compression.factory(), compression.codec());
        writer.start();
        while (true) {
            guard.check();
            if (!reader.loadNextBatch()) {
                break;
            }
            writer.writeBatch();
            rows += root.getRowCount();
            batches++;
        }
        guard.check();
        writer.end();
        buffered.flush();
        return new StreamSummary(rows, batches, writer.bytesWritten());
    }
}
