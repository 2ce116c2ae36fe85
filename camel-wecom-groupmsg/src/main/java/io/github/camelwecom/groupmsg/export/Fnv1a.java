package io.github.camelwecom.groupmsg.export;

/**
 * FNV-1a, 64 bits, over strings' chars: the engine's digests of what it handed on, and the many-corps module's shard
 * hashing. Stable across JVMs and versions: its values are kept in checkpoints and decide which replica runs a corp.
 */
public final class Fnv1a {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fnv1a() {
    }

    /** Over the parts, each ended by a separator so that ("ab", "c") and ("a", "bc") differ; null is a part too. */
    public static long hash(String... parts) {
        long h = OFFSET_BASIS;
        for (String part : parts) {
            h = update(h, part == null ? "\u0000null" : part);
            h = (h ^ 0xff) * PRIME;
        }
        return h;
    }

    /** Over one text as it is, without a separator. */
    public static long ofText(String text) {
        return update(OFFSET_BASIS, text);
    }

    private static long update(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * PRIME;
        }
        return h;
    }
}
