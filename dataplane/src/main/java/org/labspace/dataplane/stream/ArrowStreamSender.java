package org.labspace.dataplane.stream;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.labspace.dataplane.io.BlockWriteChannel;
import org.labspace.dataplane.io.ByteSink;
import org.labspace.dataplane.scan.ParquetScan;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a scan as an Arrow IPC stream. A reader thread decodes the next batch while this thread writes the previous
 * one; the hand-over holds one batch, so a slow consumer slows the reader and memory stays at three batches. The
 * guard is asked before every batch; when it cuts the stream, the end-of-stream marker is never written, so the
 * consumer sees an incomplete stream, not a short one.
 */
public final class ArrowStreamSender {

    /** Arrow's IPC writer makes many small writes (metadata, padding); merge them before they reach the socket. */
    private static final int WRITE_BUFFER = 256 * 1024;
    private static final Object END = new Object();

    private ArrowStreamSender() {
    }

    /** Sends the whole scan through a {@link BlockWriteChannel}; does not close {@code out} or the scan. */
    public static StreamSummary send(ParquetScan scan, OutputStream out, Compression compression, StreamGuard guard) throws IOException {
        return send(scan, new BlockWriteChannel(out, WRITE_BUFFER), compression, guard, DecodeTurns.unlimited());
    }

    /**
     * Sends the whole scan; flushes {@code channel} at the end, closes neither it nor the scan.
     *
     * @param turns shared with the other streams: each batch is decoded in turn
     */
    public static StreamSummary send(ParquetScan scan, ByteSink channel, Compression compression, StreamGuard guard, DecodeTurns turns) throws IOException {
        var root = scan.reader().getVectorSchemaRoot();
        var dictionaries = root.getSchema().getFields().stream().anyMatch(f -> f.getDictionary() != null);
        if (dictionaries || root.getFieldVectors().isEmpty()) {
            return sendInOrder(scan, channel, compression, guard, turns);
        }
        return sendOverlapped(scan, channel, compression, guard, turns);
    }

    /** One thread: load a batch, write it, repeat. For dictionary-encoded schemas, whose dictionaries live in the reader. */
    private static StreamSummary sendInOrder(ParquetScan scan, ByteSink channel, Compression compression, StreamGuard guard, DecodeTurns turns)
            throws IOException {
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
            if (!turns.load(reader::loadNextBatch, () -> false)) {
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

    /** The reader thread loads and hands over batches (their buffers move, nothing is copied); this thread writes them. */
    private static StreamSummary sendOverlapped(ParquetScan scan, ByteSink channel, Compression compression, StreamGuard guard, DecodeTurns turns)
            throws IOException {
        var reader = scan.reader();
        var loaded = reader.getVectorSchemaRoot();
        var schema = loaded.getSchema();
        var allocator = loaded.getFieldVectors().get(0).getAllocator();
        BlockingQueue<Object> handOver = new ArrayBlockingQueue<>(1);
        var stop = new AtomicBoolean();
        var loader = new Thread(() -> {
            try {
                while (!stop.get() && turns.load(reader::loadNextBatch, stop::get)) {
                    var batch = VectorSchemaRoot.create(schema, allocator);
                    move(loaded, batch);
                    if (!offer(handOver, batch, stop)) {
                        batch.close();
                        return;
                    }
                }
                offer(handOver, END, stop);
            } catch (Throwable e) {
                offer(handOver, e, stop);
            }
        }, "labspace-stream-reader");
        loader.setDaemon(true);
        long rows = 0;
        long batches = 0;
        try (var staging = VectorSchemaRoot.create(schema, allocator)) {
            // never closed, as above
            var writer = new ArrowStreamWriter(staging, new DictionaryProvider.MapDictionaryProvider(), channel, IpcOption.DEFAULT,
                    compression.factory(), compression.codec());
            loader.start();
            writer.start();
            while (true) {
                guard.check();
                var item = take(handOver);
                if (item == END) {
                    break;
                }
                if (item instanceof RuntimeException failure) {
                    throw failure;
                }
                if (item instanceof Throwable failure) {
                    throw new IOException("reading the dataset failed: " + failure, failure);
                }
                var batch = (VectorSchemaRoot) item;
                try {
                    move(batch, staging);
                } finally {
                    batch.close();
                }
                writer.writeBatch();
                rows += staging.getRowCount();
                batches++;
                staging.clear();
            }
            guard.check();
            writer.end();
            channel.flush();
            return new StreamSummary(rows, batches, writer.bytesWritten());
        } finally {
            stop.set(true);
            release(handOver);
            try {
                // the scan may only be closed once the reader thread has left it
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release(handOver);
        }
    }

    /** Moves a batch's buffers into another root of the same schema; the source is left empty. */
    private static void move(VectorSchemaRoot from, VectorSchemaRoot to) {
        var vectors = from.getFieldVectors();
        for (var i = 0; i < vectors.size(); i++) {
            vectors.get(i).makeTransferPair(to.getVector(i)).transfer();
        }
        to.setRowCount(from.getRowCount());
    }

    private static boolean offer(BlockingQueue<Object> queue, Object item, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static Object take(BlockingQueue<Object> queue) throws InterruptedIOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the next batch");
        }
    }

    private static void release(BlockingQueue<Object> queue) {
        for (Object item; (item = queue.poll()) != null; ) {
            if (item instanceof VectorSchemaRoot batch) {
                batch.close();
            }
        }
    }
}
