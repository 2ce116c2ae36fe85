package io.github.camelwecom.groupmsg.export;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.ChatType;
import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.ListQuery;
import io.github.camelwecom.groupmsg.client.WecomClient;
import io.github.camelwecom.groupmsg.client.WecomClientFactory;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;

/**
 * The engine without Camel: a simulator over real HTTP, a client and a fan-out pool, and the steps a consumer's poll
 * takes (open, hand on, commit, complete the pass).
 */
final class EngineHarness implements AutoCloseable {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long DAY = 86_400;
    /** September 2025 in Asia/Shanghai: the data set's span. */
    static final long START = LocalDate.parse("2025-09-01").atStartOfDay(ZONE).toEpochSecond();
    static final long END = LocalDate.parse("2025-10-01").atStartOfDay(ZONE).toEpochSecond() - 1;
    /** A week: September is five list windows. */
    static final long WINDOW = 7 * DAY;
    /** Two messages a day, eight members with a few dozen customers each: every API has several pages. */
    static final DataSet DATA = DataSet.generate(DataSetSpec.builder()
            .days(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-09-30")).singleMessages(60).groupMessages(10)
            .members(8).bigMembers(0).typicalCustomers(30).build());
    private static final ObjectMapper MAPPER = WecomClientFactory.newObjectMapper();

    final WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DATA).build().start();
    private final WecomClientFactory factory = new WecomClientFactory(Clock.systemUTC());
    final WecomClient client = factory.create(new ClientSettings(simulator.baseUrl(),
            new ClientSettings.Credentials(WecomSimulator.DEFAULT_CORP_ID, WecomSimulator.DEFAULT_CORP_SECRET, null),
            new ClientSettings.Retries(5, Duration.ofMillis(10), Duration.ofMillis(50)),
            ClientSettings.Timeouts.DEFAULT,
            0, 4), null);
    private final ExecutorService executor = Executors.newCachedThreadPool();

    /** Single-chat messages, small pages (more of them, so that positions fall inside pages), 4 requests at once. */
    static ExportSpec spec(GroupMsgApi api) {
        return new ExportSpec(api, new ListQuery(ChatType.SINGLE, null, 2), WINDOW, null, null, 7, 4);
    }

    FollowingExport export(ExportSettings settings, FollowingExport.Range range, FollowingExport.State from,
            ExportListener listener) {
        return new FollowingExport(client, executor, settings, range, from, listener);
    }

    /** A bounded export of September that goes on past what WeCom refuses. */
    FollowingExport bounded(GroupMsgApi api, FollowingExport.State from, ExportListener listener) {
        return export(new ExportSettings(spec(api), 0, 0, true), new FollowingExport.Range(START, END, false), from,
                listener);
    }

    /**
     * The export's state with its tracked parts, as a store that was given every changed part since it started from
     * {@code stored} restores it.
     */
    static FollowingExport.State saved(FollowingExport export, Map<String, String> stored) {
        export.takeChangedParts().forEach((id, value) -> {
            if (value == null) {
                stored.remove(id);
            } else {
                stored.put(id, value);
            }
        });
        FollowingExport.State s = export.state();
        return new FollowingExport.State(s.passStart(), s.passEnd(), s.position(), s.finished(), s.lastPassEnd(),
                s.memberInProgress(), new HashMap<>(stored), s.pass(), s.unreadable());
    }

    /** Hands on and commits up to {@code max} records and markers of the open pass, as a poll does. */
    static List<ExportRecord> take(FollowingExport export, int max) {
        List<ExportRecord> taken = new ArrayList<>();
        while (taken.size() < max && export.hasNext()) {
            ExportRecord record = export.next();
            export.commit(record);
            taken.add(record);
        }
        return taken;
    }

    /** Opens the pass at {@code now}, reads and commits it to its end and completes it; empty when none opened. */
    static List<ExportRecord> pass(FollowingExport export, long now) {
        if (!export.open(now)) {
            return List.of();
        }
        List<ExportRecord> taken = take(export, Integer.MAX_VALUE);
        export.completePass();
        return taken;
    }

    /** The records handed on, as JSON. */
    static List<JsonNode> emitted(List<ExportRecord> records) {
        return records.stream().filter(ExportRecord::emitted).map(r -> json(r.record())).toList();
    }

    /** A record or the ground truth's JSON, numbers compared by value. */
    static JsonNode json(Object record) {
        try {
            return MAPPER.readTree(MAPPER.writeValueAsString(record));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> json(Stream<? extends JsonNode> truth) {
        return truth.map(EngineHarness::json).toList();
    }

    /** What the data set holds of September for {@code api}, settled (the simulator's now is not fixed). */
    static List<JsonNode> truth(GroupMsgApi api) {
        var truth = DATA.groundTruth();
        return json(switch (api) {
            case LIST -> truth.messages("single", START, END, null, 2);
            case TASK -> truth.tasks("single", START, END, null, 2);
            case RESULT -> truth.results("single", START, END, null, 2);
        });
    }

    @Override
    public void close() throws IOException {
        executor.shutdownNow();
        factory.close();
        simulator.close();
    }
}
