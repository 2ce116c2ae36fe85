package io.github.camelwecom.groupmsg;

/**
 * Thrown by a {@code StateRepository}'s {@code setState} that fences its writers (such as {@code JdbcStateRepository}
 * of camel-wecom-groupmsg-corps): the key was written by another writer since this one read it, so this one no longer
 * owns it. A consumer that meets it stops its route instead of writing over the new owner's checkpoint.
 */
public class StateWriteConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public StateWriteConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key whose write was refused. */
    public String getKey() {
        return key;
    }
}
