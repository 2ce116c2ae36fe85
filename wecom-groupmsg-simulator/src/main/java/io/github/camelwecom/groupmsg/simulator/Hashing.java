package io.github.camelwecom.groupmsg.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Deterministic 64-bit mixing and id formatting. Send results are never stored: their ids and statuses are recomputed
 * from these hashes, so the same inputs must always give the same outputs.
 */
final class Hashing {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Hashing() {
    }

    /** SplitMix64 finalizer: a cheap bijection with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b) {
        return mix(a * 0x9E3779B97F4A7C15L + mix(b));
    }

    static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /** FNV-1a over UTF-8, then mixed; for turning strings (msgids, queries) into hash inputs. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** A URL-safe id of {@code length} characters (at most 43) derived from {@code key}. */
    static String id(String prefix, long key, int length) {
        byte[] bytes = new byte[32];
        long k = key;
        for (int i = 0; i < 4; i++) {
            k = mix(k + i);
            for (int j = 0; j < 8; j++) {
                bytes[i * 8 + j] = (byte) (k >>> (8 * j));
            }
        }
        return prefix + B64.encodeToString(bytes).substring(0, length);
    }

    /** Uniform integer in [0, bound) from a hash. */
    static int below(long hash, int bound) {
        return (int) ((hash >>> 1) % bound);
    }
}
