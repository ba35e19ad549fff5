package org.labspace.dataplane.stream;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

import org.labspace.dataplane.restriction.StreamRequestException;

import java.util.Locale;

/** Arrow IPC buffer compression: for slow links; on loopback it only costs CPU. */
public enum Compression {
    NONE(CompressionUtil.CodecType.NO_COMPRESSION),
    ZSTD(CompressionUtil.CodecType.ZSTD),
    LZ4(CompressionUtil.CodecType.LZ4_FRAME);

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

    /** Parses {@code none}, {@code zstd} or {@code lz4}; null or blank is {@code none}. */
    public static Compression parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StreamRequestException("compression '" + text + "' is not one of none, zstd, lz4");
        }
    }
}
