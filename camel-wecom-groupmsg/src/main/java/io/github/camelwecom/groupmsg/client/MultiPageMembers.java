package io.github.camelwecom.groupmsg.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members whose send results of a message took more than one page the last time they were read. The same members
 * (those with the most customers) have long result sequences message after message, so their results are requested
 * first: a sequence of pages read one after another is the longest chain of an export. Only a scheduling hint; it
 * holds user ids, no records, and at most {@link #MAX_MEMBERS} of them.
 */
final class MultiPageMembers {

    static final int MAX_MEMBERS = 4096;

    private final Map<String, Boolean> members = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_MEMBERS;
        }
    };

    synchronized boolean contains(String userid) {
        return members.get(userid) != null;
    }

    /** Records what a result page showed: more pages follow, or a first page was the whole sequence. */
    synchronized void pageRead(String userid, boolean firstPage, boolean lastPage) {
        if (!lastPage) {
            members.put(userid, Boolean.TRUE);
        } else if (firstPage) {
            members.remove(userid);
        }
    }
}
