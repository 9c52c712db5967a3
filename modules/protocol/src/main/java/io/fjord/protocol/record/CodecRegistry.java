package io.fjord.protocol.record;

import io.fjord.api.compression.CompressionCodec;

import java.util.Arrays;
import java.util.List;

/**
 * Where the codecs for compressed batches come from, by the id in the batch attributes. The
 * record package never discovers codecs itself: the broker or client hands in what its kernel
 * loaded, tests hand in what they need.
 */
@FunctionalInterface
public interface CodecRegistry {

    /** A registry that knows no codecs: only uncompressed batches can be read through it. */
    CodecRegistry NONE = id -> null;

    /** The codec with this id (0 to 7), or null if none is available. */
    CompressionCodec codec(int id);

    /** A registry of exactly these codecs. */
    static CodecRegistry of(CompressionCodec... codecs) {
        return of(Arrays.asList(codecs));
    }

    /**
     * A registry of exactly these codecs.
     *
     * @throws IllegalArgumentException if an id is outside 0 to 7 or two codecs share one
     */
    static CodecRegistry of(List<? extends CompressionCodec> codecs) {
        CompressionCodec[] byId = new CompressionCodec[8];
        for (CompressionCodec codec : codecs) {
            int id = codec.id();
            if (id < 0 || id >= byId.length) {
                throw new IllegalArgumentException("Codec " + codec.name() + " has id " + id + ", outside 0 to 7");
            }
            if (byId[id] != null) {
                throw new IllegalArgumentException("Codecs " + byId[id].name() + " and " + codec.name()
                        + " share the id " + id);
            }
            byId[id] = codec;
        }
        return id -> id >= 0 && id < byId.length ? byId[id] : null;
    }
}
