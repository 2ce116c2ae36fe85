package io.github.camelwecom.groupmsg.client;

/**
 * A span of create_time in epoch seconds, both ends inclusive, as get_groupmsg_list_v2's start_time and end_time.
 */
public record TimeWindow(long start, long end) {

    public TimeWindow {
        if (end < start) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }

    /**
     * The first window of {@code start..rangeEnd} no longer than {@code sizeSeconds}; the next one starts at
     * {@code end + 1}.
     */
    public static TimeWindow first(long start, long rangeEnd, long sizeSeconds) {
        return new TimeWindow(start, Math.min(rangeEnd, start + sizeSeconds - 1));
    }

    public boolean contains(long epochSecond) {
        return epochSecond >= start && epochSecond <= end;
    }
}
