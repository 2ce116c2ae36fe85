package io.github.camelwecom.groupmsg.export;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where a paged sequence stands: the cursor of the page being read ("" = the first page), how many records of that page
 * are done, and how many records of the whole sequence are done. A {@code null} cursor means the sequence is finished.
 */
public record PagePosition(String cursor, int offset, long ordinal) {

    public static final PagePosition START = new PagePosition("", 0, 0);

    public static PagePosition finished(long ordinal) {
        return new PagePosition(null, 0, ordinal);
    }

    @JsonIgnore
    public boolean isFinished() {
        return cursor == null;
    }
}
