package org.labspace.connector.dataplane;

import jakarta.servlet.ServletOutputStream;
import org.labspace.dataplane.io.ByteSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Arrow IPC bytes into a servlet answer. Large off-heap buffers (the batches' data, exported by the reader) go to
 * Jetty as they are, with no copy on the Java side; the many small writes of IPC metadata and padding are gathered
 * into one off-heap block first.
 */
final class ServletByteSink implements ByteSink {

    private static final int DIRECT_WRITE = 64 * 1024;

    private final ServletOutputStream out;
    private final ByteBuffer block;
    private boolean open = true;

    ServletByteSink(ServletOutputStream out, int blockSize) {
        this.out = out;
        this.block = ByteBuffer.allocateDirect(blockSize);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        var length = source.remaining();
        if (length >= DIRECT_WRITE && source.isDirect()) {
            sendBlock();
            out.write(source);
            source.position(source.limit());
            return length;
        }
        while (source.hasRemaining()) {
            if (!block.hasRemaining()) {
                sendBlock();
            }
            var n = Math.min(source.remaining(), block.remaining());
            var slice = source.slice(source.position(), n);
            block.put(slice);
            source.position(source.position() + n);
        }
        return length;
    }

    private void sendBlock() throws IOException {
        if (block.position() > 0) {
            block.flip();
            out.write(block);
            block.clear();
        }
    }

    @Override
    public void flush() throws IOException {
        sendBlock();
        out.flush();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Leaves the servlet stream to the container, which completes or aborts the answer. */
    @Override
    public void close() {
        open = false;
    }
}
