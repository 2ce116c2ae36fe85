package io.github.camelwecom.groupmsg.export;

/**
 * FNV-1a, 64 bits, over strings: the engine's digests of what it handed on, and the many-corps module's shard hashing.
 * Stable across JVMs and versions: its values are kept in checkpoints.
 */
public final class Fnv1a {

    private Fnv1a() {
    }

    /** Over the parts, each ended by a separator so that ("ab", "c") and ("a", "bc") differ; null is a part too. */
    public static long hash(String... parts) {
        long h = 0xcbf29ce484222325L;
        for (String part : parts) {
            String text = part == null ? "\u0000null" : part;
            for (int i = 0; i < text.length(); i++) {
                h = (h ^ text.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ 0xff) * 0x100000001b3L;
        }
        return h;
    }
}
