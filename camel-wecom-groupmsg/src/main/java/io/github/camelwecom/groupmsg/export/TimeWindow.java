package io.github.camelwecom.groupmsg.export;

/**
 * One get_groupmsg_list_v2 query's span: the start_time and end_time it sends (epoch seconds). The API document does
 * not say whether end_time is inclusive, so a window owns {@code [start, end)} whatever the server reads: consecutive
 * windows share their edge second and the record there belongs to the later one, the last window of a range ends one
 * second after the range, and what a server returns outside the window it owns is dropped. A window is never zero
 * seconds wide: a server may refuse {@code start_time == end_time}.
 */
public record TimeWindow(long start, long end) {

    public TimeWindow {
        // an end equal to the start only comes from checkpoints of earlier versions, whose windows included their end
        if (end < start) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }

    /**
     * The first window of the range {@code start..rangeEnd} (both inclusive), at most {@code sizeSeconds} wide.
     */
    public static TimeWindow first(long start, long rangeEnd, long sizeSeconds) {
        return new TimeWindow(start, Math.min(rangeEnd + 1, start + sizeSeconds));
    }

    /** The window after this one in the range ending at {@code rangeEnd}, null when this one reaches past it. */
    public TimeWindow next(long rangeEnd, long sizeSeconds) {
        return end > rangeEnd ? null : first(end, rangeEnd, sizeSeconds);
    }

    /** Whether a record created at {@code epochSecond} is this window's to hand on. */
    public boolean owns(long epochSecond) {
        return epochSecond >= start && epochSecond < end;
    }
}
