package io.github.camelwecom.groupmsg.corps;

import java.util.Collection;

import io.github.camelwecom.groupmsg.export.Fnv1a;

/**
 * Rendezvous (highest random weight) hashing: which member owns a key, and which shard a corp belongs to. Depends only
 * on the ids, so every replica that sees the same members picks the same owner without asking the others, and a member
 * leaving moves only its own keys.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    /** The member with the highest weight for the key; ties go to the smallest id. */
    static String owner(String key, Collection<String> memberIds) {
        String owner = null;
        long best = 0;
        for (String member : memberIds) {
            long weight = hash(member + '\0' + key);
            if (owner == null || Long.compareUnsigned(weight, best) > 0
                    || weight == best && member.compareTo(owner) < 0) {
                owner = member;
                best = weight;
            }
        }
        return owner;
    }

    /** The bucket (0 to {@code buckets - 1}) an id falls in. */
    static int bucket(String id, int buckets) {
        return (int) Long.remainderUnsigned(hash(id), buckets);
    }

    /** FNV-1a, then SplitMix64's finalizer so that ids differing in one character hash unrelated. */
    private static long hash(String id) {
        long h = Fnv1a.ofText(id);
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
