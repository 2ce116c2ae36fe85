package io.github.camelwecom.groupmsg.export;

/**
 * An iterator that tells whether its next record is already in memory, so that {@code hasNext()} will not wait for the
 * API: the fan-out hands records over a page at a time instead of one by one.
 */
interface Buffered {

    boolean hasBuffered();
}
