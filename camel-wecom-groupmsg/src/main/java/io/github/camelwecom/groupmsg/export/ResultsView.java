package io.github.camelwecom.groupmsg.export;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;

/**
 * What the reader was handed of one member's send results: how many, and which of them still unsent (status 0). Only an
 * unsent result can change (a sent, not-a-friend or already-received one is final), so only those are remembered one by
 * one, as 64-bit hashes of who they went to; a member whose results were all unsent is remembered by their count alone,
 * which is what most tracked members are until they send.
 *
 * @param unsent hashes of the unsent results, ascending; null when every one of the {@code count} was unsent
 */
record ResultsView(int count, long[] unsent) {

    /** A member of whose results nothing was handed on. */
    static final ResultsView NONE = new ResultsView(0, null);

    /** How the reader last saw a result. */
    enum Seen {
        NOT,
        UNSENT,
        FINAL
    }

    static long id(GroupMsgSendResult result) {
        return Fnv1a.hash(result.getExternalUserid(), result.getChatId());
    }

    static boolean unsent(GroupMsgSendResult result) {
        return result.getStatus() == null || result.getStatus() == 0;
    }

    /**
     * How the reader last saw the result with this hash. Of a member whose results were all unsent, any result is taken
     * as seen unsent: WeCom does not add results to a task once listed.
     */
    Seen seen(long id) {
        if (count == 0) {
            return Seen.NOT;
        }
        if (unsent == null) {
            return Seen.UNSENT;
        }
        return Arrays.binarySearch(unsent, id) >= 0 ? Seen.UNSENT : Seen.FINAL;
    }

    /** What this result is to the reader now. */
    ExportRecord.Change change(GroupMsgSendResult result) {
        Seen before = seen(id(result));
        boolean unsent = unsent(result);
        if (before == Seen.NOT || before == Seen.FINAL && unsent) {
            return ExportRecord.Change.NEW; // a final result is never unsent again: this one was not handed on
        }
        return before == Seen.UNSENT && !unsent ? ExportRecord.Change.UPDATED : ExportRecord.Change.NONE;
    }

    boolean hasUnsent() {
        return unsent == null ? count > 0 : unsent.length > 0;
    }

    int encodedSize() {
        return 8 + (unsent == null ? 0 : unsent.length * 8);
    }

    void encode(ByteBuffer bytes) {
        bytes.putInt(count).putInt(unsent == null ? -1 : unsent.length);
        if (unsent != null) {
            for (long id : unsent) {
                bytes.putLong(id);
            }
        }
    }

    static ResultsView decode(ByteBuffer bytes) {
        int count = bytes.getInt();
        int n = bytes.getInt();
        long[] unsent = n < 0 ? null : new long[n];
        for (int i = 0; i < n; i++) {
            unsent[i] = bytes.getLong();
        }
        return new ResultsView(count, unsent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultsView v && v.count == count && Arrays.equals(v.unsent, unsent);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(unsent) * 31 + count;
    }

    @Override
    public String toString() {
        return "ResultsView[count=" + count + ", unsent=" + (unsent == null ? "all" : unsent.length) + "]";
    }

    /**
     * The view of a member's results as they are committed. While the member is in progress it keeps every unsent hash,
     * so that a part read later can still make the whole mixed; {@link #build()} folds all-unsent into a count.
     */
    static final class Builder {
        private int count;
        private long[] unsent = new long[16];
        private int unsentCount;

        void add(GroupMsgSendResult result) {
            add(id(result), unsent(result));
        }

        void add(long id, boolean isUnsent) {
            count++;
            if (isUnsent) {
                appendUnsent(id);
            }
        }

        private void appendUnsent(long id) {
            if (unsentCount == unsent.length) {
                unsent = Arrays.copyOf(unsent, unsentCount * 2);
            }
            unsent[unsentCount++] = id;
        }

        /** Adds a part kept in progress ({@link #partial()}). */
        void addAll(String partial) {
            if (partial == null) {
                return;
            }
            ResultsView part = ResultsView.decode(ByteBuffer.wrap(Base64.getDecoder().decode(partial)));
            count += part.count;
            for (long id : part.unsent) {
                appendUnsent(id);
            }
        }

        /** Two parts kept in progress as one. */
        static String join(String a, String b) {
            Builder both = new Builder();
            both.addAll(a);
            both.addAll(b);
            return both.partial();
        }

        /** The results so far with every unsent hash, for a checkpoint in the middle of a member; null when none. */
        String partial() {
            if (count == 0) {
                return null;
            }
            ResultsView part = new ResultsView(count, Arrays.copyOf(unsent, unsentCount));
            ByteBuffer bytes = ByteBuffer.allocate(part.encodedSize());
            part.encode(bytes);
            return Base64.getEncoder().encodeToString(bytes.array());
        }

        /** The member's view, and a fresh start for the next member. */
        ResultsView build() {
            long[] ids = Arrays.copyOf(unsent, unsentCount);
            Arrays.sort(ids);
            ResultsView view = new ResultsView(count, ids.length == count && count > 0 ? null : ids);
            count = 0;
            unsentCount = 0;
            return view;
        }
    }
}
