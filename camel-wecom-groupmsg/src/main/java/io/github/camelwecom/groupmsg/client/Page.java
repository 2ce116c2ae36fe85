package io.github.camelwecom.groupmsg.client;

import java.util.List;

/**
 * One page of an API answer and the cursor of the next page ("" when this is the last page).
 */
public record Page<T>(List<T> records, String nextCursor) {

    public Page {
        records = List.copyOf(records);
        nextCursor = nextCursor == null ? "" : nextCursor;
    }
}
