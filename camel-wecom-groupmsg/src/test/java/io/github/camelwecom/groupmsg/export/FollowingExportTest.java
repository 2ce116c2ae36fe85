package io.github.camelwecom.groupmsg.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;
import io.github.camelwecom.groupmsg.simulator.GroundTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.camelwecom.groupmsg.export.EngineHarness.DATA;
import static io.github.camelwecom.groupmsg.export.EngineHarness.DAY;
import static io.github.camelwecom.groupmsg.export.EngineHarness.END;
import static io.github.camelwecom.groupmsg.export.EngineHarness.START;
import static io.github.camelwecom.groupmsg.export.EngineHarness.WINDOW;
import static io.github.camelwecom.groupmsg.export.EngineHarness.emitted;
import static io.github.camelwecom.groupmsg.export.EngineHarness.json;
import static io.github.camelwecom.groupmsg.export.EngineHarness.pass;
import static io.github.camelwecom.groupmsg.export.EngineHarness.take;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine driven as a consumer drives it, against the simulator: a bounded export hands on exactly the ground truth,
 * one resumed from its state the rest of it, a following one what is new or changed since its last pass; and the
 * listener hears what the commits mean.
 */
class FollowingExportTest extends EngineTestSupport {

    @ParameterizedTest
    @EnumSource(GroupMsgApi.class)
    void aBoundedExportIsExactlyTheGroundTruthAndTellsEachWindowAndThePass(GroupMsgApi api) {
        Recorder heard = new Recorder();
        FollowingExport export = engine.bounded(api, null, heard);
        List<ExportRecord> records = pass(export, END + DAY);

        List<JsonNode> truth = EngineHarness.truth(api);
        assertThat(emitted(records)).containsExactlyElementsOf(truth);
        assertThat(records).filteredOn(ExportRecord::emitted).allMatch(r -> r.change() == Change.NEW);
        assertThat(export.isFinished()).isTrue();
        assertThat(export.open(END + 2 * DAY)).as("nothing left to read").isFalse();

        // September in weeks: five windows, in order, each with the records handed on from it, then the pass
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TimeWindow window = new TimeWindow(START + i * WINDOW, Math.min(START + (i + 1) * WINDOW, END + 1));
            long from = records.stream().filter(r -> r.emitted() && window.equals(r.window())).count();
            expected.add("window " + (i + 1) + "/5 " + window.start() + ".." + window.end() + " " + from);
        }
        expected.add("pass " + START + ".." + END + " finished unreadable 0");
        assertThat(heard.events).containsExactlyElementsOf(expected);
        assertThat(heard.records).isEqualTo(truth.size());
    }

    @Test
    void resumedFromItsStateAtAnyRecordItHandsOnTheRestOnce() {
        List<JsonNode> truth = EngineHarness.truth(GroupMsgApi.RESULT);
        Recorder heard = new Recorder();
        List<JsonNode> got = new ArrayList<>();
        FollowingExport.State state = null;
        int resumes = 0;
        while (true) {
            assertThat(got).as("an export that does not move on").hasSizeLessThanOrEqualTo(truth.size());
            FollowingExport export = engine.bounded(GroupMsgApi.RESULT, state, heard);
            assertThat(export.open(END + DAY)).isTrue();
            got.addAll(emitted(take(export, 97)));
            if (!export.hasNext()) {
                export.completePass();
                break;
            }
            // records read ahead and not committed come again after the resume
            for (int i = 0; i < 5 && export.hasNext(); i++) {
                export.next();
            }
            state = export.state();
            export.close();
            resumes++;
        }
        assertThat(got).containsExactlyElementsOf(truth);
        assertThat(resumes).isGreaterThan(10);
        // each window told once however often the export was resumed
        assertThat(heard.starting("window")).extracting(e -> e.split(" ")[1])
                .containsExactly("1/5", "2/5", "3/5", "4/5", "5/5");
        assertThat(heard.starting("pass")).hasSize(1);
    }

    @Test
    void aFollowingPassHandsOnNewMessagesAndNothingListedBefore() {
        long t1 = START + 10 * DAY;
        long t2 = t1 + 5 * DAY;
        FollowingExport export = following(GroupMsgApi.LIST, 2 * DAY, 0, null, new Recorder());
        engine.simulator.setNow(Instant.ofEpochSecond(t1));
        assertThat(emitted(pass(export, t1))).containsExactlyElementsOf(messages(START, t1));

        engine.simulator.setNow(Instant.ofEpochSecond(t2));
        List<ExportRecord> second = pass(
                following(GroupMsgApi.LIST, 2 * DAY, 0, EngineHarness.saved(export, new HashMap<>()), new Recorder()),
                t2);
        assertThat(emitted(second)).isNotEmpty().containsExactlyElementsOf(messages(t1 + 1, t2));
        assertThat(second).filteredOn(ExportRecord::emitted).allMatch(r -> r.change() == Change.NEW);
    }

    @Test
    void aFollowingPassHandsOnNewTasksAsNewAndChangedOnesAsUpdated() {
        long lookback = 3 * DAY;
        // the first day of September after which, within a day, a message is created and a task is sent
        long t1 = START + 3 * DAY;
        while (!new TaskChanges(t1, t1 + DAY, lookback).changes.containsAll(List.of(Change.NEW, Change.UPDATED))) {
            t1 += DAY / 4;
        }
        long t2 = t1 + DAY;
        assertThat(t2).isLessThan(END);
        Recorder heard = new Recorder();
        FollowingExport export = following(GroupMsgApi.TASK, lookback, 0, null, heard);
        engine.simulator.setNow(Instant.ofEpochSecond(t1));
        assertThat(emitted(pass(export, t1))).containsExactlyElementsOf(EngineHarness.json(
                DATA.groundTruth().asOf(Instant.ofEpochSecond(t1)).tasks("single", START, t1, null, 2)));

        // a restarted consumer: the next pass from the saved state
        engine.simulator.setNow(Instant.ofEpochSecond(t2));
        List<ExportRecord> second =
                pass(following(GroupMsgApi.TASK, lookback, 0, EngineHarness.saved(export, new HashMap<>()), heard), t2);

        TaskChanges expected = new TaskChanges(t1, t2, lookback);
        assertThat(emitted(second)).containsExactlyElementsOf(expected.tasks);
        assertThat(second.stream().filter(ExportRecord::emitted).map(ExportRecord::change))
                .containsExactlyElementsOf(expected.changes);
        assertThat(heard.starting("pass")).containsExactly("pass " + START + ".." + t1 + " unreadable 0",
                "pass " + (t1 + 1 - lookback) + ".." + t2 + " unreadable 0");
    }

    /**
     * What a pass at {@code t2} must hand on after one at {@code t1}: the tasks it reads again that differ from what
     * was handed on, NEW when their member was not handed on before.
     */
    private static final class TaskChanges {
        final List<JsonNode> tasks;
        final List<Change> changes;

        TaskChanges(long t1, long t2, long lookback) {
            Map<String, JsonNode> handedOn = new HashMap<>();
            EngineHarness.json(DATA.groundTruth().asOf(Instant.ofEpochSecond(t1)).tasks("single", START, t1, null, 2))
                    .forEach(t -> handedOn.put(key(t), t));
            tasks = EngineHarness.json(DATA.groundTruth().asOf(Instant.ofEpochSecond(t2))
                    .tasks("single", t1 + 1 - lookback, t2, null, 2)).stream()
                    .filter(t -> !t.equals(handedOn.get(key(t)))).toList();
            changes = tasks.stream().map(t -> handedOn.containsKey(key(t)) ? Change.UPDATED : Change.NEW).toList();
        }
    }

    @Test
    void aReconciledMemberWhoseResultsChangedSilentlyComesAgainAndIsToldChanged() {
        long lookback = 3 * DAY;
        long reconcile = 3_600;
        long t1 = START + 10 * DAY + DAY / 2;
        long t2 = t1 + 2 * reconcile; // every tracked member's reconciliation is due in this pass
        GroundTruth atT1 = DATA.groundTruth().asOf(Instant.ofEpochSecond(t1));
        GroundTruth atT2 = DATA.groundTruth().asOf(Instant.ofEpochSecond(t2));
        // a member whose task says unsent all along: it can still change, so it is reconciled (a settled one is not)
        JsonNode unsent = atT2.tasks("single", t1 + 1 - lookback, t1, null, 2)
                .filter(t -> t.get("status").asInt() == 0)
                .filter(t -> atT1.countResults(t.get("msgid").asText(), t.get("userid").asText()) > 1)
                .findFirst().orElseThrow();
        String msgid = unsent.get("msgid").asText();
        String userid = unsent.get("userid").asText();

        Recorder heard = new Recorder();
        FollowingExport export = following(GroupMsgApi.RESULT, lookback, reconcile, null, heard);
        engine.simulator.setNow(Instant.ofEpochSecond(t1));
        pass(export, t1);
        assertThat(heard.starting("reconciled")).as("nothing to reconcile in a first pass").isEmpty();

        engine.simulator.faults().changeResultsSilently(msgid, userid, 3);
        engine.simulator.setNow(Instant.ofEpochSecond(t2));
        List<ExportRecord> second = pass(export, t2);

        List<ExportRecord> again = second.stream().filter(ExportRecord::emitted)
                .filter(r -> msgid.equals(r.message().getMsgid()) && userid.equals(r.userid())).toList();
        assertThat(again).hasSize((int) atT1.countResults(msgid, userid))
                .allMatch(r -> r.change() == Change.UPDATED)
                .allMatch(r -> json(r.record()).get("status").asInt() == 3);
        assertThat(heard.starting("reconciled changed")).hasSize(1);
        assertThat(export.getReconciledChanges()).isEqualTo(1);
        long unsettled = atT2.tasks("single", t1 + 1 - lookback, t1, null, 2)
                .filter(t -> t.get("status").asInt() == 0).count();
        assertThat(heard.starting("reconciled")).as("every member that can still change, once")
                .hasSize((int) export.getReconciledMembers()).hasSize((int) unsettled);
    }

    private FollowingExport following(GroupMsgApi api, long lookback, long reconcile, FollowingExport.State from,
            ExportListener listener) {
        return engine.export(new ExportSettings(EngineHarness.spec(api), lookback, reconcile, true),
                new FollowingExport.Range(START, null, true), from, listener);
    }

    private static List<JsonNode> messages(long from, long to) {
        return EngineHarness.json(DATA.groundTruth().asOf(Instant.ofEpochSecond(to))
                .messages("single", from, to, null, 2));
    }

    private static String key(JsonNode task) {
        return task.get("msgid").asText() + " " + task.get("userid").asText();
    }
}
