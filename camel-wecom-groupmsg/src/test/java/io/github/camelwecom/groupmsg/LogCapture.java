package io.github.camelwecom.groupmsg;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures every log event from start to close, with the root logger at the given level meanwhile. */
final class LogCapture implements AutoCloseable {

    private static final String NAME = "test-capture";

    private final StringWriter text = new StringWriter();
    private final Level previous;

    LogCapture(Level level) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        WriterAppender appender = WriterAppender.createAppender(
                PatternLayout.newBuilder().withPattern("%d %p %c %m %ex%n").withConfiguration(config).build(),
                null, text, NAME, false, true);
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        previous = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(level);
        ctx.updateLoggers();
    }

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(NAME);
        root.setLevel(previous);
        ctx.updateLoggers();
    }
}
