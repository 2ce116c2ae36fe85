package io.github.camelwecom.groupmsg.simulator;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Opaque paging cursors: a position plus a hash of the query that issued it, so a cursor presented with another query,
 * or garbage, is refused with 50100 instead of silently returning wrong data.
 */
final class Cursors {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int LENGTH = 12;

    private Cursors() {
    }

    /** A hash identifying a query; {@code parts} are the query's fields except limit and cursor. */
    static long queryHash(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p).append('\u0001');
        }
        return Hashing.hash(sb.toString());
    }

    static String encode(long queryHash, int position) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putLong(queryHash ^ Hashing.mix(position)).putInt(position);
        return ENCODER.encodeToString(b.array());
    }

    /**
     * The position in {@code cursor}, which must belong to {@code queryHash} and lie in [min, max]; an empty or missing
     * cursor means {@code firstPage}.
     */
    static int decode(String cursor, long queryHash, int firstPage, int min, int max) {
        if (cursor == null || cursor.isEmpty()) {
            return firstPage;
        }
        byte[] raw;
        try {
            raw = DECODER.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw WecomException.invalidCursor();
        }
        if (raw.length != LENGTH) {
            throw WecomException.invalidCursor();
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long hash = b.getLong();
        int position = b.getInt();
        if ((hash ^ Hashing.mix(position)) != queryHash || position < min || position > max) {
            throw WecomException.invalidCursor();
        }
        return position;
    }
}
