package io.github.camelwecom.groupmsg.client;

import io.github.camelwecom.groupmsg.client.model.GroupMsg;

/**
 * One record of an export with where it came from: the list window, the message it belongs to (the record itself for
 * list exports), the member for result exports, and the position just after it.
 *
 * @param record   a {@code GroupMsg}, {@code GroupMsgTask} or {@code GroupMsgSendResult}
 * @param position resuming here continues with the record after this one
 */
public record ExportRecord(Object record, TimeWindow window, GroupMsg message, String userid, ExportPosition position) {
}
