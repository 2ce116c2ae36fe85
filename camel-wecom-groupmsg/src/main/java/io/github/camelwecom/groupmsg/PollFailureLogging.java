package io.github.camelwecom.groupmsg;

import io.github.camelwecom.groupmsg.client.WecomApiException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;

/**
 * Logs a poll that failed at WeCom as one WARN line that starts with the failure's message: it names the API, the
 * errcode and errmsg and what to do about it, or which way the connection failed (host does not resolve, connection
 * refused, which timeout), which a stack trace (kept at DEBUG) does not add to. A checkpoint that cannot be stored is
 * one WARN line when it starts and DEBUG while it lasts. Failures of the route, and anything else, go to Camel's
 * handler as before. Not a poll strategy: Camel hands every failed poll to the exception handler after the strategy's
 * rollback, whatever the rollback returns, so only the handler decides how a failure is logged.
 */
final class PollFailureLogging implements ExceptionHandler {

    private final ExceptionHandler camel;
    private final Logger log;

    PollFailureLogging(ExceptionHandler camel, Logger log) {
        this.camel = camel;
        this.log = log;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception instanceof CheckpointNotStored c) {
            if (c.isRepeated()) {
                log.debug("{}", c.getMessage(), c);
            } else {
                log.warn("{}", c.getMessage());
                log.debug("The failure above", c);
            }
            return;
        }
        WecomApiException wecom = exchange == null ? find(exception) : null;
        if (wecom == null) {
            camel.handleException(message, exchange, exception);
            return;
        }
        if (message == null) {
            log.warn("{}", wecom.getMessage());
        } else {
            // the cause first: Camel's text holds the whole endpoint URI, which would push it to a long line's end
            log.warn("{}. {}", wecom.getMessage(), message);
        }
        log.debug("The failure above", exception);
    }

    /** The WeCom failure {@code e} is or was caused by, or null. */
    static WecomApiException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WecomApiException w) {
                return w;
            }
        }
        return null;
    }
}
