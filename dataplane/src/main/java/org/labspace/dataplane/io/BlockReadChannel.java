package org.labspace.dataplane.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * A channel over an input stream that fills a buffer in large reads. The JDK's {@code Channels.newChannel} moves at
 * most 8 KiB per call, which dominates reading a multi-megabyte Arrow batch into off-heap memory.
 */
public final class BlockReadChannel implements ReadableByteChannel {

    private final InputStream in;
    private final byte[] block;
    private boolean open = true;

    public BlockReadChannel(InputStream in, int blockSize) {
        this.in = in;
        this.block = new byte[blockSize];
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        var total = 0;
        while (target.hasRemaining()) {
            var n = in.read(block, 0, Math.min(block.length, target.remaining()));
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            target.put(block, 0, n);
            total += n;
            if (n == 0 || in.available() == 0 && total > 0) {
                // hand over what arrived rather than wait for the rest of a large buffer
                break;
            }
        }
        return total;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
