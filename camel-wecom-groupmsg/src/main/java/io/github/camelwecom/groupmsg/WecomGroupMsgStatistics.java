package io.github.camelwecom.groupmsg;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomApiException;
import io.github.camelwecom.groupmsg.client.WecomClient;

/**
 * What one endpoint did: API calls by api and outcome, retries by errcode, token fetches and rejections, records
 * emitted, and where its consumer stands. Read by JMX, Micrometer and the wecom-groupmsg dev console.
 */
public final class WecomGroupMsgStatistics implements WecomClient.ClientListener {

    /** The retry key of failures below WeCom (HTTP status, network, garbled answer). */
    public static final String NO_ERRCODE = "none";

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final LongAdder tokenRejections = new LongAdder();
    private final LongAdder recordsEmitted = new LongAdder();
    private volatile LongSupplier tokenFetches = () -> 0;
    private volatile String currentWindow = "";
    private volatile String checkpoint = "";
    private volatile long reconciledMembers;
    private volatile long reconciledChanges;
    private final LongAdder refusedReads = new LongAdder();
    private volatile int unreadable;

    @Override
    public void onCall(GroupMsgApi api, boolean success) {
        calls.computeIfAbsent(api.uriName() + (success ? ".success" : ".failure"), k -> new LongAdder()).increment();
    }

    @Override
    public void onRetry(String api, WecomApiException failure) {
        String errcode = failure.getErrcode() == WecomApiException.NO_ERRCODE
                ? NO_ERRCODE : String.valueOf(failure.getErrcode());
        retries.computeIfAbsent(errcode, k -> new LongAdder()).increment();
    }

    @Override
    public void onTokenRejected(int errcode) {
        tokenRejections.increment();
    }

    void recordEmitted() {
        recordsEmitted.increment();
    }

    void tokenFetchesFrom(LongSupplier supplier) {
        this.tokenFetches = supplier;
    }

    void readRefused() {
        refusedReads.increment();
    }

    void consumerAt(String window, String checkpoint, long reconciledMembers, long reconciledChanges,
                    int unreadable) {
        this.unreadable = unreadable;
        this.currentWindow = window;
        this.checkpoint = checkpoint;
        this.reconciledMembers = reconciledMembers;
        this.reconciledChanges = reconciledChanges;
    }

    /** Calls by "api.outcome" (e.g. {@code result.success}), sorted. */
    public Map<String, Long> getCalls() {
        return snapshot(calls);
    }

    public long getCalls(GroupMsgApi api, boolean success) {
        LongAdder adder = calls.get(api.uriName() + (success ? ".success" : ".failure"));
        return adder == null ? 0 : adder.sum();
    }

    /** Retries by WeCom errcode, or {@value #NO_ERRCODE} for HTTP, network and garbled answers. */
    public Map<String, Long> getRetries() {
        return snapshot(retries);
    }

    /** gettoken calls that returned a token, for the corp and secret of this endpoint (shared by its endpoints). */
    public long getTokenFetches() {
        return tokenFetches.getAsLong();
    }

    /** Calls WeCom answered with an invalid or expired token, each followed by one refresh. */
    public long getTokenRejections() {
        return tokenRejections.sum();
    }

    public long getRecordsEmitted() {
        return recordsEmitted.sum();
    }

    /**
     * Follow mode: members whose send results the consumer read again because their reconciliation was due
     * ({@code reconcileInterval}), since the route started.
     */
    public long getReconciledMembers() {
        return reconciledMembers;
    }

    /** Reconciled members whose send results differed from what was emitted, and came again as UPDATED. */
    public long getReconciledChanges() {
        return reconciledChanges;
    }

    /**
     * Times WeCom refused a message's tasks or a member's send results with an errcode about that data alone, and the
     * consumer went on without them (retries refused again count too).
     */
    public long getRefusedReads() {
        return refusedReads.sum();
    }

    /** Messages' tasks and members' send results WeCom refused that the consumer still reads again on each poll. */
    public int getUnreadable() {
        return unreadable;
    }

    /** The list window the consumer is reading, as ISO instants; empty when idle. */
    public String getCurrentWindow() {
        return currentWindow;
    }

    /** The consumer's last saved checkpoint (JSON without the tracked state). */
    public String getCheckpoint() {
        return checkpoint;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
