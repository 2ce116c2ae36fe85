package io.github.camelwecom.groupmsg.example;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.client.model.GroupMsg;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.client.model.GroupMsgTask;
import org.apache.camel.Exchange;

/**
 * The export route's tally: counts each record per api and status, notes when the last one came, and marks which
 * records the route prints (the first {@code printFirst}, then every {@code printEvery}th) in the exchange property
 * {@value #PRINT}, with the record's number in {@value #RECORD_NUMBER}.
 */
public class ExportStats {

    public static final String RECORD_NUMBER = "exportRecordNumber";
    public static final String PRINT = "exportPrint";

    private int printFirst = 20;
    private long printEvery = 10_000;
    private final AtomicLong total = new AtomicLong();
    private final Map<String, LongAdder> byKind = new ConcurrentSkipListMap<>();
    private volatile long lastRecordNanos;

    /** Called by the route with each record, before it is marshalled. */
    public void count(Exchange exchange) {
        long number = total.incrementAndGet();
        String api = exchange.getMessage().getHeader(WecomGroupMsgConstants.API, String.class);
        String kind = api + " " + kindOf(exchange.getMessage().getBody());
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        exchange.setProperty(RECORD_NUMBER, number);
        exchange.setProperty(PRINT, number <= printFirst || printEvery > 0 && number % printEvery == 0);
        lastRecordNanos = System.nanoTime();
    }

    /** What WeCom's codes mean, as its API document explains them. */
    private static final Map<Integer, String> RESULT_STATUS = Map.of(0, "not sent", 1, "sent",
            2, "failed: not a contact", 3, "failed: customer already got a mass message");
    private static final Map<Integer, String> TASK_STATUS = Map.of(GroupMsgTask.STATUS_UNSENT, "not sent",
            GroupMsgTask.STATUS_SENT, "sent");
    private static final Map<Integer, String> CREATE_TYPE = Map.of(0, "enterprise", 1, "member");

    /** E.g. "status 1 (sent)"; list records are told apart by create_type. */
    static String kindOf(Object body) {
        if (body instanceof GroupMsgSendResult r) {
            return describe("status", r.getStatus(), RESULT_STATUS);
        }
        if (body instanceof GroupMsgTask t) {
            return describe("status", t.getStatus(), TASK_STATUS);
        }
        if (body instanceof GroupMsg m) {
            return describe("create_type", m.getCreateType(), CREATE_TYPE);
        }
        return body == null ? "(no body)" : body.getClass().getSimpleName();
    }

    private static String describe(String field, Integer code, Map<Integer, String> meanings) {
        String meaning = code == null ? null : meanings.get(code);
        return field + " " + code + " (" + (meaning == null ? "unknown" : meaning) + ")";
    }

    public long total() {
        return total.get();
    }

    /** Count per api and status (list: per create_type), sorted by name. */
    public Map<String, Long> byKind() {
        Map<String, Long> copy = new LinkedHashMap<>();
        byKind.forEach((kind, count) -> copy.put(kind, count.sum()));
        return copy;
    }

    /** System.nanoTime() of the last record counted; 0 before the first. */
    public long lastRecordNanos() {
        return lastRecordNanos;
    }

    public int getPrintFirst() {
        return printFirst;
    }

    public void setPrintFirst(int printFirst) {
        this.printFirst = printFirst;
    }

    public long getPrintEvery() {
        return printEvery;
    }

    /** 0 prints none after the first {@code printFirst}. */
    public void setPrintEvery(long printEvery) {
        this.printEvery = printEvery;
    }
}
