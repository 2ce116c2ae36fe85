package io.github.camelwecom.groupmsg.export;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;

/**
 * One record of an export with where it came from: the list window, the message it belongs to (the record itself for
 * list exports), the member for result exports, the position just after it, and what it is to the reader.
 *
 * @param record a {@code GroupMsg}, {@code GroupMsgTask} or {@code GroupMsgSendResult}; for {@link Change#NONE} a
 * {@link FollowingExport.MemberRead}
 * @param position resuming here continues with the record after this one
 */
public record ExportRecord(Object record, TimeWindow window, GroupMsg message, String userid, ExportPosition position,
        Change change) {

    /** What a record is to whoever read the selection before. */
    public enum Change {
        /** Not emitted before. */
        NEW,
        /** Emitted before with other content. */
        UPDATED,
        /** Nothing to emit: committing it moves the position and remembers what was read. */
        NONE
    }

    public ExportRecord(Object record, TimeWindow window, GroupMsg message, String userid, ExportPosition position) {
        this(record, window, message, userid, position, Change.NEW);
    }

    ExportRecord as(Change change) {
        return change == this.change ? this : new ExportRecord(record, window, message, userid, position, change);
    }

    /** Whether the record is handed to the reader (not a {@link Change#NONE} marker). */
    public boolean emitted() {
        return change != Change.NONE;
    }
}
