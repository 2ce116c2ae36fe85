package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelwecom.groupmsg.simulator.Api;
import io.github.camelwecom.groupmsg.simulator.MovableClock;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follow-mode consumer says it is alive: one INFO summary per {@code summaryInterval} of the component's clock (moved
 * by the test), with what it emitted and called since the last one. A window without records is no INFO line.
 */
class FollowModeLoggingTest extends SimulatorTestSupport {

    private static final Pattern SUMMARY =
            Pattern.compile("following, (\\d+) records in the last (\\S+) \\((\\d+) NEW, "
                    + "(\\d+) UPDATED; (\\d+) in total\\), (\\d+) API calls \\(busiest (\\w+): ([\\d.]+) a minute, ([\\d.]+) % "
                    + "of WeCom's 10,000 a minute per corp and API\\), (.*)$");

    /** A minute after a message was created, so that its tasks are sent in the hours after. */
    private final long start = DATA.groundTruth().messages("single", at("2025-10-01"), RANGE_END, null, 2)
            .mapToLong(m -> m.get("create_time").asLong()).min().orElseThrow() + 60;
    private final MovableClock clock = new MovableClock(start);

    @Override
    protected void doPostSetup() {
        context.getComponent("wecom-groupmsg", WecomGroupMsgComponent.class).setClock(clock);
        simulator.setNow(Instant.ofEpochSecond(start));
    }

    @Override
    protected void doPostTearDown() {
        simulator.clearNow();
    }

    @Test
    void aSummaryComesOncePerIntervalWithWhatHappenedInIt() throws Exception {
        Collector got = new Collector();
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            WecomGroupMsgConsumer consumer = follow("task", "summaryInterval=PT8H", got);
            awaitPassUpTo(consumer, start);
            awaitWholePass(consumer);
            assertStays(() -> summaries(logs).isEmpty(), () -> "a summary before the interval: " + summaries(logs));

            // 8 hours later tasks were sent: they come again as UPDATED, then the summary says so
            long callsBefore = calls();
            moveTo(start + 8 * 3600);
            await(Duration.ofSeconds(30), () -> summaries(logs).size() == 1, () -> "no summary: " + logs.text());
            long callsAfter = calls();
            awaitWholePass(consumer);
            assertStays(() -> summaries(logs).size() == 1, () -> "summaries: " + summaries(logs));
            long updated = changes(got, "UPDATED");
            assertThat(updated).as("tasks sent in those hours").isPositive();
            Matcher first = assertSummary(summaries(logs).get(0), got.size(), got.size() - updated, updated,
                    got.size(), "PT8H", start + 8 * 3600);
            assertThat(Long.parseLong(first.group(6))).isBetween(callsBefore, callsAfter);

            // another interval: only what it brought, the totals go on
            int before = got.size();
            moveTo(start + 16 * 3600);
            await(Duration.ofSeconds(30), () -> summaries(logs).size() == 2, () -> "no second summary");
            awaitWholePass(consumer);
            long updatedSince = changes(got, "UPDATED") - updated;
            assertSummary(summaries(logs).get(1), got.size() - before, got.size() - before - updatedSince,
                    updatedSince, got.size(), "PT8H", start + 16 * 3600);
        }
    }

    @Test
    void zeroTurnsTheSummaryOff() throws Exception {
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            WecomGroupMsgConsumer consumer = follow("list", "summaryInterval=0", new Collector());
            awaitPassUpTo(consumer, start);
            moveTo(start + 3600);
            awaitPassUpTo(consumer, start + 3600);
            awaitWholePass(consumer);
            assertThat(summaries(logs)).isEmpty();
        }
    }

    /** Catching up over months without messages: only the windows with records are INFO lines, the others DEBUG. */
    @Test
    void emptyWindowsAreNoInfoLines() throws Exception {
        moveTo(at("2026-06-01"));
        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            WecomGroupMsgConsumer consumer = follow("list", "", new Collector());
            awaitPassUpTo(consumer, at("2026-06-01"));
            List<String> windows = logs.text().lines().filter(l -> l.contains("list export of route follow: window"))
                    .toList();
            // 2025-09-01 .. 2026-06-01 in 30-day windows; the data set ends with 2025
            assertThat(windows).hasSize(10);
            Pattern range = Pattern.compile(" (INFO|DEBUG) .* window (\\d+)/10 done \\((\\S+) \\.\\. (\\S+)\\)");
            for (String line : windows) {
                Matcher m = range.matcher(line);
                assertThat(m.find()).as(line).isTrue();
                long records = DATA.groundTruth().countMessages("single", epoch(m.group(3)), epoch(m.group(4)), null,
                        2);
                assertThat(m.group(1)).as(line + " holds " + records + " records")
                        .isEqualTo(records > 0 ? "INFO" : "DEBUG");
            }
            assertThat(windows.stream().filter(l -> l.contains(" INFO ")).count()).isBetween(4L, 5L);
        }
    }

    private WecomGroupMsgConsumer follow(String api, String options, Collector got) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(api, "startTime=2025-09-01&trackChangesFor=P3D" + (options.isEmpty() ? "" : "&" + options)))
                        .routeId("follow").process(got::add);
            }
        });
        return (WecomGroupMsgConsumer) context.getRoute("follow").getConsumer();
    }

    private Matcher assertSummary(String line, long records, long added, long updated, long total, String interval,
            long completeUpTo) {
        Matcher m = SUMMARY.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5))).as(line)
                .containsExactly(String.valueOf(records), interval, String.valueOf(added), String.valueOf(updated),
                        String.valueOf(total));
        assertThat(m.group(7)).as("busiest API: one task page per tracked message").isEqualTo("task");
        double perMinute = Double.parseDouble(m.group(8));
        assertThat(m.group(9)).isEqualTo(String.format(Locale.ROOT, "%.2f", perMinute / 100));
        assertThat(m.group(10).strip()).isEqualTo("complete up to " + TimeSpec.format(completeUpTo, ZONE));
        return m;
    }

    private void moveTo(long epochSecond) {
        simulator.setNow(Instant.ofEpochSecond(epochSecond));
        clock.set(epochSecond);
    }

    private static long calls() {
        return simulator.counters().calls(Api.LIST) + simulator.counters().calls(Api.TASK);
    }

    private static long changes(Collector got, String change) {
        return got.headers.stream().filter(h -> change.equals(h.get(WecomGroupMsgConstants.CHANGE))).count();
    }

    private static List<String> summaries(LogCapture logs) {
        return logs.text().lines().filter(l -> l.contains(" INFO ") && l.contains(": following, ")).toList();
    }

    private static long epoch(String offsetDateTime) {
        return java.time.OffsetDateTime.parse(offsetDateTime).toEpochSecond();
    }

    private static long at(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toEpochSecond();
    }
}
