package org.labspace.dataplane.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A channel over an output stream that gathers writes into large blocks. Arrow's IPC writer hands over many small
 * buffers (metadata, padding) and large off-heap ones; the JDK's {@code Channels.newChannel} copies both in 8 KiB
 * pieces, each a call down the HTTP stack. Here each byte is copied once, into a block that goes out whole.
 */
public final class BlockWriteChannel implements ByteSink {

    private final OutputStream out;
    private final byte[] block;
    private int filled;
    private boolean open = true;

    public BlockWriteChannel(OutputStream out, int blockSize) {
        this.out = out;
        this.block = new byte[blockSize];
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        var written = source.remaining();
        while (source.hasRemaining()) {
            var n = Math.min(source.remaining(), block.length - filled);
            source.get(block, filled, n);
            filled += n;
            if (filled == block.length) {
                out.write(block, 0, filled);
                filled = 0;
            }
        }
        return written;
    }

    /** Sends what is gathered so far. */
    @Override
    public void flush() throws IOException {
        if (filled > 0) {
            out.write(block, 0, filled);
            filled = 0;
        }
        out.flush();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Flushes and closes the stream. */
    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            flush();
            out.close();
        }
    }
}
