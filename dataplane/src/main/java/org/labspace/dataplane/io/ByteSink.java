package org.labspace.dataplane.io;

import java.io.Flushable;
import java.nio.channels.WritableByteChannel;

/** Where a stream's bytes go: a channel that can be flushed at the end of the stream (without being closed). */
public interface ByteSink extends WritableByteChannel, Flushable {
}
