package io.github.camelwecom.groupmsg;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
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

    /**
     * Every statistic once: its dev console key, its Micrometer meter and how it is read. The console and the meters
     * list these; JMX needs a method per attribute, so the endpoint has one for each, reading the same getter.
     */
    enum Statistic {
        CALLS("calls", "wecom.groupmsg.api.calls", Kind.COUNTERS, "WeCom API calls",
                WecomGroupMsgStatistics::getCalls),
        RETRIES("retries", "wecom.groupmsg.retries", Kind.COUNTERS, "Retried WeCom calls by errcode",
                WecomGroupMsgStatistics::getRetries),
        TOKEN_FETCHES("tokenFetches", "wecom.groupmsg.token.fetches", Kind.COUNTER,
                "gettoken calls that returned a token", WecomGroupMsgStatistics::getTokenFetches),
        TOKEN_REJECTIONS("tokenRejections", "wecom.groupmsg.token.rejections", Kind.COUNTER,
                "Calls answered with an invalid or expired token",
                WecomGroupMsgStatistics::getTokenRejections),
        RECORDS_EMITTED("recordsEmitted", "wecom.groupmsg.records.emitted", Kind.COUNTER,
                "Records processed by the route", WecomGroupMsgStatistics::getRecordsEmitted),
        RECONCILED_MEMBERS("reconciledMembers", "wecom.groupmsg.reconciled.members", Kind.COUNTER,
                "Members whose send results were read again because their reconciliation was due",
                WecomGroupMsgStatistics::getReconciledMembers),
        RECONCILED_CHANGES("reconciledChanges", "wecom.groupmsg.reconciled.changes", Kind.COUNTER,
                "Reconciled members whose send results differed from what was emitted",
                WecomGroupMsgStatistics::getReconciledChanges),
        RECHECKED_MEMBERS("recheckedMembers", "wecom.groupmsg.rechecked.members", Kind.COUNTER,
                "Reads of members whose task said sent while some of their send results still said unsent",
                WecomGroupMsgStatistics::getRecheckedMembers),
        RECHECKED_DELIVERIES("recheckedDeliveries", "wecom.groupmsg.rechecked.deliveries", Kind.COUNTER,
                "Rechecked members whose send results had been delivered since, and came again as UPDATED",
                WecomGroupMsgStatistics::getRecheckedDeliveries),
        REFUSED_READS("refusedReads", "wecom.groupmsg.refused.reads", Kind.COUNTER,
                "Times WeCom refused one message's tasks or one member's send results and the consumer went on",
                WecomGroupMsgStatistics::getRefusedReads),
        UNREADABLE("unreadable", "wecom.groupmsg.unreadable", Kind.GAUGE,
                "Refused messages' tasks and members' send results still read again on each poll",
                WecomGroupMsgStatistics::getUnreadable),
        CURRENT_WINDOW("currentWindow", null, Kind.NONE, "The list window the consumer is reading",
                WecomGroupMsgStatistics::getCurrentWindow),
        CHECKPOINT("checkpoint", null, Kind.NONE, "The consumer's last saved checkpoint",
                WecomGroupMsgStatistics::getCheckpoint),
        CHECKPOINT_BYTES("checkpointBytesWritten", "wecom.groupmsg.checkpoint.bytes.written", Kind.COUNTER,
                "Bytes the consumer wrote to its stateRepository: checkpoints, their parts and parts index",
                WecomGroupMsgStatistics::getCheckpointBytesWritten);

        /** The meter a statistic is: COUNTERS is one counter per key of its map, tagged with the key. */
        enum Kind {
            COUNTER,
            COUNTERS,
            GAUGE,
            NONE
        }

        final String key;
        final String meterName;
        final Kind kind;
        final String description;
        private final Function<WecomGroupMsgStatistics, Object> getter;

        Statistic(String key, String meterName, Kind kind, String description,
                Function<WecomGroupMsgStatistics, Object> getter) {
            this.key = key;
            this.meterName = meterName;
            this.kind = kind;
            this.description = description;
            this.getter = getter;
        }

        Object of(WecomGroupMsgStatistics statistics) {
            return getter.apply(statistics);
        }

        double number(WecomGroupMsgStatistics statistics) {
            return ((Number) of(statistics)).doubleValue();
        }
    }

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final LongAdder tokenRejections = new LongAdder();
    private final LongAdder recordsEmitted = new LongAdder();
    private volatile LongSupplier tokenFetches = () -> 0;
    private volatile String currentWindow = "";
    private volatile String checkpoint = "";
    private final LongAdder reconciledMembers = new LongAdder();
    private final LongAdder reconciledChanges = new LongAdder();
    private final LongAdder recheckedMembers = new LongAdder();
    private final LongAdder recheckedDeliveries = new LongAdder();
    private final LongAdder refusedReads = new LongAdder();
    private final LongAdder checkpointBytesWritten = new LongAdder();
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

    void memberRechecked(boolean delivered) {
        recheckedMembers.increment();
        if (delivered) {
            recheckedDeliveries.increment();
        }
    }

    void memberReconciled(boolean changed) {
        reconciledMembers.increment();
        if (changed) {
            reconciledChanges.increment();
        }
    }

    void consumerAt(String window, String checkpoint, int unreadable) {
        this.unreadable = unreadable;
        this.currentWindow = window;
        this.checkpoint = checkpoint;
    }

    void checkpointWritten(long bytes) {
        checkpointBytesWritten.add(bytes);
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
     * ({@code reconcileInterval}).
     */
    public long getReconciledMembers() {
        return reconciledMembers.sum();
    }

    /** Reads of members whose task said sent while some of their send results still said unsent. */
    public long getRecheckedMembers() {
        return recheckedMembers.sum();
    }

    /** Rechecked members whose send results had been delivered since. */
    public long getRecheckedDeliveries() {
        return recheckedDeliveries.sum();
    }

    /** Reconciled members whose send results differed from what was emitted, and came again as UPDATED. */
    public long getReconciledChanges() {
        return reconciledChanges.sum();
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

    /** The consumer's last saved checkpoint (its JSON; the tracked parts are stored beside it). */
    public String getCheckpoint() {
        return checkpoint;
    }

    /** Bytes (UTF-8) of the values the consumer wrote to its stateRepository: checkpoints and their parts. */
    public long getCheckpointBytesWritten() {
        return checkpointBytesWritten.sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
