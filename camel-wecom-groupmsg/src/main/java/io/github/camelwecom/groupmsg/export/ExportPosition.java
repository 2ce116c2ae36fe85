package io.github.camelwecom.groupmsg.export;

/**
 * Where an export stands, enough to resume it without repeating or skipping a record: the time window being read, the
 * position in its message list, and for task/result exports the position in the current message's task list and in the
 * current member's send results. For list exports {@code list} points after the last record; for task and result
 * exports it points at the message in progress, and {@code task} at the task in progress.
 */
public record ExportPosition(TimeWindow window, PagePosition list, PagePosition task, PagePosition result) {

    public static ExportPosition startOf(TimeWindow window) {
        return new ExportPosition(window, PagePosition.START, null, null);
    }
}
