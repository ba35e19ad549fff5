package org.labspace.dataplane.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers the last 8 bytes read, so that a client can tell a complete Arrow IPC stream (ending with the
 * end-of-stream marker: 0xFFFFFFFF then a zero length) from one cut at a batch boundary, which Arrow's reader takes
 * for a normal end.
 */
final class EndOfStreamCheck extends FilterInputStream {

    private final byte[] tail = new byte[8];
    private long count;

    EndOfStreamCheck(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        var b = super.read();
        if (b >= 0) {
            remember((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        var n = super.read(buffer, offset, length);
        if (n > 8) {
            count += n - 8;
        }
        for (var i = Math.max(0, n - 8); i < n; i++) {
            remember(buffer[offset + i]);
        }
        return n;
    }

    private void remember(byte b) {
        tail[(int) (count++ % 8)] = b;
    }

    boolean endedWithMarker() {
        if (count < 8) {
            return false;
        }
        for (var i = 0; i < 8; i++) {
            var b = tail[(int) ((count + i) % 8)];
            if (b != (i < 4 ? (byte) 0xFF : 0)) {
                return false;
            }
        }
        return true;
    }
}
