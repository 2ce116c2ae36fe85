package io.github.camelwecom.groupmsg;

/**
 * A poll handed on nothing because the checkpoint of what was handed on before could not be stored (or, at the start,
 * read): the stateRepository fails. Logged at WARN the first time and at DEBUG while it repeats; Camel's consumer
 * health check reports the route down meanwhile.
 */
final class CheckpointNotStored extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean repeated;

    CheckpointNotStored(String message, Throwable cause, boolean repeated) {
        super(message, cause);
        this.repeated = repeated;
    }

    /** Whether the polls before this one failed the same way. */
    boolean isRepeated() {
        return repeated;
    }
}
