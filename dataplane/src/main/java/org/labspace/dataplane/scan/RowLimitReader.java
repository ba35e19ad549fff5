package org.labspace.dataplane.scan;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Ends a reader after {@code limit} rows: the batch that crosses the limit is cut short, and no batch is read after
 * it, so the scan behind stops decoding there. Shares the reader's batch root and dictionaries.
 */
final class RowLimitReader extends ArrowReader {

    private final ArrowReader reader;
    private final long limit;
    private long rows;

    RowLimitReader(ArrowReader reader, long limit, BufferAllocator allocator) {
        super(allocator);
        if (limit < 0) {
            throw new IllegalArgumentException("a row limit cannot be negative: " + limit);
        }
        this.reader = reader;
        this.limit = limit;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        if (rows >= limit || !reader.loadNextBatch()) {
            return false;
        }
        var root = reader.getVectorSchemaRoot();
        var left = limit - rows;
        if (root.getRowCount() > left) {
            // the vectors keep their buffers; their value counts say how much of them the batch is
            root.setRowCount((int) left);
        }
        rows += root.getRowCount();
        return true;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return reader.getVectorSchemaRoot();
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return reader.getDictionaryVectors();
    }

    @Override
    public Dictionary lookup(long id) {
        return reader.lookup(id);
    }

    @Override
    public Set<Long> getDictionaryIds() {
        return reader.getDictionaryIds();
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    protected void closeReadSource() throws IOException {
        reader.close();
    }

    @Override
    protected Schema readSchema() throws IOException {
        return reader.getVectorSchemaRoot().getSchema();
    }
}
