package io.github.camelwecom.groupmsg;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Runs a consumer's polls on the component's shared scheduler, taking turns with the other endpoints' polls. Camel's
 * own scheduler repeats a greedy consumer's poll on the same thread until it polls nothing; a pass of a year's history
 * whose calls wait behind every corp's recent changes in the call budget would then hold a shared thread for hours, and
 * with as many such passes as threads no other endpoint would poll. Here a consumer with more to read now is scheduled
 * again at once, behind every poll already due; otherwise after its delay (from the end of the run, or from its start
 * without {@code useFixedDelay}).
 */
final class TakingTurnsScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private final ScheduledExecutorService executor;
    private final BooleanSupplier moreNow;
    private CamelContext camelContext;
    private Runnable task;
    private long initialDelay;
    private long delay;
    private TimeUnit unit = TimeUnit.MILLISECONDS;
    private boolean fixedDelay = true;
    private boolean scheduled;
    private ScheduledFuture<?> next;

    /** @param moreNow whether the consumer has records to read now, asked after each run */
    TakingTurnsScheduler(ScheduledExecutorService executor, BooleanSupplier moreNow) {
        this.executor = executor;
        this.moreNow = moreNow;
    }

    @Override
    public void onInit(Consumer consumer) {
        ScheduledPollConsumer polling = (ScheduledPollConsumer) consumer;
        initialDelay = polling.getInitialDelay();
        delay = polling.getDelay();
        unit = polling.getTimeUnit();
        fixedDelay = polling.isUseFixedDelay();
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public synchronized void startScheduler() {
        if (!scheduled) {
            scheduled = true;
            next = executor.schedule(this::run, Math.max(0, initialDelay), unit);
        }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return scheduled;
    }

    @Override
    public synchronized void unscheduleTask() {
        scheduled = false;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void run() {
        long start = System.nanoTime();
        try {
            task.run();
        } finally {
            long wait = 0;
            if (!moreNow.getAsBoolean()) {
                long ran = unit.convert(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                wait = fixedDelay ? delay : Math.max(0, delay - ran);
            }
            scheduleAgain(wait);
        }
    }

    private synchronized void scheduleAgain(long wait) {
        if (scheduled) {
            try {
                next = executor.schedule(this::run, wait, unit);
            } catch (RejectedExecutionException e) {
                scheduled = false; // the component stopped its scheduler: the context is stopping
            }
        }
    }

    @Override
    protected void doStop() {
        unscheduleTask();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
