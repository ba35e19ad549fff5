package org.labspace.dataplane.stream;

import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.labspace.dataplane.io.BlockWriteChannel;
import org.labspace.dataplane.io.ByteSink;
import org.labspace.dataplane.scan.ParquetScan;

import java.io.IOException;
import java.io.OutputStream;

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

    /** Sends the whole scan through a {@link BlockWriteChannel}; does not close {@code out} or the scan. */
    public static StreamSummary send(ParquetScan scan, OutputStream out, Compression compression, StreamGuard guard) throws IOException {
        return send(scan, new BlockWriteChannel(out, WRITE_BUFFER), compression, guard);
    }

    /** Sends the whole scan; flushes {@code channel} at the end, closes neither it nor the scan. */
    public static StreamSummary send(ParquetScan scan, ByteSink channel, Compression compression, StreamGuard guard) throws IOException {
        var reader = scan.reader();
        var root = reader.getVectorSchemaRoot();
        long rows = 0;
        long batches = 0;
        // never closed: ArrowWriter.close() writes the end-of-stream marker, which a cut stream must not carry;
        // the writer holds no memory of its own (the batches belong to the scan)
        var writer = new ArrowStreamWriter(root, reader, channel, IpcOption.DEFAULT, compression.factory(), compression.codec());
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
        channel.flush();
        return new StreamSummary(rows, batches, writer.bytesWritten());
    }
}
