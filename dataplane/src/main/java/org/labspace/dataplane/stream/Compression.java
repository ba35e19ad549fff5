package org.labspace.dataplane.stream;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

import org.labspace.dataplane.restriction.StreamRequestException;

import java.util.Locale;

/**
 * Arrow IPC buffer compression: for slow links; on loopback it only costs CPU. zstd only: Arrow Java's LZ4 codec
 * (commons-compress, pure Java) took over a minute on one 64,000-row batch here, so a stream asking for it would stall.
 */
public enum Compression {
    NONE(CompressionUtil.CodecType.NO_COMPRESSION),
    ZSTD(CompressionUtil.CodecType.ZSTD);

    private final CompressionUtil.CodecType codec;

    Compression(CompressionUtil.CodecType codec) {
        this.codec = codec;
    }

    public CompressionUtil.CodecType codec() {
        return codec;
    }

    public CompressionCodec.Factory factory() {
        return this == NONE ? NoCompressionCodec.Factory.INSTANCE : CommonsCompressionFactory.INSTANCE;
    }

    /** Parses {@code none} or {@code zstd}; null or blank is {@code none}. */
    public static Compression parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        if (text.trim().equalsIgnoreCase("lz4")) {
            throw new StreamRequestException("compression 'lz4' is not offered (Arrow Java's LZ4 codec is too slow to stream with); use zstd");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StreamRequestException("compression '" + text + "' is not one of none, zstd");
        }
    }
}
