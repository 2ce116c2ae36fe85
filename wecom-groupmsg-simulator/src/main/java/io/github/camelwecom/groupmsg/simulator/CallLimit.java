package io.github.camelwecom.groupmsg.simulator;

import java.time.Duration;

/**
 * One of WeCom's call limits: calls of one API per corp or per calling IP, in a fixed minute or hour. See
 * {@link CallLimits} for the numbers.
 */
public enum CallLimit {
    CORP_PER_MINUTE(Scope.CORP, 60),
    CORP_PER_HOUR(Scope.CORP, 3600),
    IP_PER_MINUTE(Scope.IP, 60),
    IP_PER_HOUR(Scope.IP, 3600);

    /** Whose calls a limit counts: those of one corp (its access_token's) or those from one client IP. */
    public enum Scope {
        CORP,
        IP
    }

    private final Scope scope;
    private final long windowSeconds;

    CallLimit(Scope scope, long windowSeconds) {
        this.scope = scope;
        this.windowSeconds = windowSeconds;
    }

    public Scope scope() {
        return scope;
    }

    /** The window, aligned to the whole minute or hour of the limit clock. */
    public Duration window() {
        return Duration.ofSeconds(windowSeconds);
    }

    long windowSeconds() {
        return windowSeconds;
    }
}
