package io.github.camelwecom.groupmsg.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.camelwecom.groupmsg.simulator.TokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults that answer errcode 0 with records a trusting client mishandles: a cursor cycle, repeats, one odd record. */
class RecordFaultTest extends SimulatorTestBase {
    /** Many messages in one month, so pages are full and filters leave gaps. */
    private static final DataSet DATA = DataSet.generate(DataSetSpec.small().toBuilder().singleMessages(160)
            .days(LocalDate.of(2025, 9, 1), LocalDate.of(2025, 9, 30)).build());
    private static final GroundTruth TRUTH = DATA.groundTruth();
    private static final long FROM = DATA.startEpochSecond();
    private static final long TO = DATA.endEpochSecond();

    RecordFaultTest() {
        super(DATA);
    }

    @ParameterizedTest
    @EnumSource(value = Api.class, names = { "LIST", "TASK", "RESULT" })
    void cursorCycleHandsBackTheRequestsOwnCursor(Api api) {
        ObjectNode first = firstPage(api);
        JsonNode page1 = client.call(api, token, first);
        String cursor = page1.get("next_cursor").asText();
        assertThat(cursor).isNotEmpty();
        ObjectNode second = first.deepCopy().put("cursor", cursor);
        JsonNode page2 = client.call(api, token, second);

        sim.faults().failNext(api, Fault.CURSOR_CYCLE, 2);
        assertThat(client.call(api, token, first)).as("no cursor: untouched").isEqualTo(page1);
        assertThat(sim.faults().pending()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode cycled = client.call(api, token, second);
            assertThat(cycled.get("errcode").asInt()).isZero();
            assertThat(cycled.get("next_cursor").asText()).isEqualTo(cursor);
            assertThat(records(api, cycled)).isEqualTo(records(api, page2));
        }
        assertThat(client.call(api, token, second)).isEqualTo(page2);
        assertThat(sim.counters().faults(Fault.CURSOR_CYCLE)).isEqualTo(2);
        assertThat(sim.counters().callLog(api)).filteredOn(c -> c.fault() == Fault.CURSOR_CYCLE)
                .allSatisfy(c -> assertThat(c.answered(0)).isTrue());
    }

    @Test
    void cursorCycleEvenOnTheLastPageButNotOnErrors() {
        String[] big = bigSingleTask();
        ObjectNode query = SimClient.body().put("msgid", big[0]).put("userid", big[1]).put("limit", 1000);
        String last = client.call(Api.RESULT, token, query).get("next_cursor").asText();
        ObjectNode lastPage = query.deepCopy().put("cursor", last);
        assertThat(client.call(Api.RESULT, token, lastPage).get("next_cursor").asText()).isEmpty();

        sim.faults().failNext(Api.RESULT, Fault.CURSOR_CYCLE, 1);
        assertError(client.call(Api.RESULT, "not-a-token", lastPage), 40014, "invalid access_token");
        assertThat(sim.faults().pending()).as("an error answer does not use it up").isEqualTo(1);
        assertThat(client.call(Api.RESULT, token, lastPage).get("next_cursor").asText()).isEqualTo(last);
        assertThat(sim.faults().pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Api.class, names = { "LIST", "TASK", "RESULT" })
    void repeatedRecordsRepeatTheFirstAndBringBackThePreviousPagesLast(Api api) {
        ObjectNode first = firstPage(api);
        JsonNode page1 = client.call(api, token, first);
        ObjectNode second = first.deepCopy().put("cursor", page1.get("next_cursor").asText());
        JsonNode page2 = client.call(api, token, second);
        List<JsonNode> records1 = records(api, page1);
        List<JsonNode> records2 = records(api, page2);
        assertThat(records1).hasSizeGreaterThan(1);
        assertThat(records2).isNotEmpty();

        sim.faults().failNext(api, Fault.REPEATED_RECORDS, 2);
        JsonNode repeated1 = client.call(api, token, first);
        assertThat(records(api, repeated1)).isEqualTo(concat(records1, List.of(records1.get(0))));
        assertThat(repeated1.get("next_cursor")).isEqualTo(page1.get("next_cursor"));

        JsonNode repeated2 = client.call(api, token, second);
        assertThat(records(api, repeated2)).isEqualTo(
                concat(List.of(records1.get(records1.size() - 1)), records2, List.of(records2.get(0))));
        assertThat(repeated2.get("next_cursor")).isEqualTo(page2.get("next_cursor"));
        assertThat(sim.counters().faults(Fault.REPEATED_RECORDS)).isEqualTo(2);
        assertThat(client.call(api, token, second)).isEqualTo(page2);
    }

    @Test
    void theRepeatedPreviousRecordIsTheLastOneTheFilterLetThrough() {
        // enterprise messages only; find a page break with personal messages between the pages
        long to = FROM + 31 * 86400L;
        List<String> every = TRUTH.messages("single", FROM, to, null, 2).map(m -> m.get("msgid").asText()).toList();
        List<ObjectNode> enterprise = TRUTH.messages("single", FROM, to, null, 0).toList();
        int k = 1;
        while (every.indexOf(enterprise.get(k).get("msgid").asText())
                - every.indexOf(enterprise.get(k - 1).get("msgid").asText()) < 2) {
            k++;
        }
        ObjectNode query = SimClient.listBody("single", FROM, to, null, 0, k);
        String cursor = client.call(Api.LIST, token, query).get("next_cursor").asText();
        sim.faults().failNext(Api.LIST, Fault.REPEATED_RECORDS, 1);
        List<JsonNode> second = records(Api.LIST, client.call(Api.LIST, token, query.deepCopy().put("cursor", cursor)));
        assertThat(second.get(0)).isEqualTo(enterprise.get(k - 1));
        assertThat(second.get(1)).isEqualTo(enterprise.get(k));
        assertThat(second.get(second.size() - 1)).isEqualTo(enterprise.get(k));
    }

    @Test
    void oddRecordGivesTheFirstRecordOneFieldOfAWrongType() {
        // get_groupmsg_list_v2: an image attachment whose image is a string, appended or in a new array
        ObjectNode withAttachments = null;
        ObjectNode without = null;
        for (ObjectNode m : TRUTH.messages("single", FROM, TO, null, 2).toList()) {
            long t = m.get("create_time").asLong();
            if (!TRUTH.messages("single", t, t, null, 2).findFirst().orElseThrow().equals(m)) {
                continue; // not first at its second
            }
            if (m.has("attachments") && withAttachments == null) {
                withAttachments = m;
            } else if (!m.has("attachments") && without == null) {
                without = m;
            }
        }
        ObjectNode image = SimClient.body().put("msgtype", "image").put("image", "");
        for (ObjectNode m : new ObjectNode[] { withAttachments, without }) {
            long t = m.get("create_time").asLong();
            ObjectNode query = SimClient.listBody("single", t, t + 86400, null, 2, 5);
            List<JsonNode> normal = records(Api.LIST, client.call(Api.LIST, token, query));
            sim.faults().failNext(Api.LIST, Fault.ODD_RECORD, 1);
            JsonNode odd = client.call(Api.LIST, token, query);
            assertThat(odd.get("errcode").asInt()).isZero();
            List<JsonNode> oddRecords = records(Api.LIST, odd);
            assertThat(oddRecords.subList(1, oddRecords.size())).isEqualTo(normal.subList(1, normal.size()));
            ArrayNode attachments = (ArrayNode) oddRecords.get(0).get("attachments");
            assertThat(attachments.get(attachments.size() - 1)).isEqualTo(image);
            ObjectNode repaired = (ObjectNode) oddRecords.get(0).deepCopy();
            ((ArrayNode) repaired.get("attachments")).remove(attachments.size() - 1);
            if (repaired.get("attachments").isEmpty()) {
                repaired.remove("attachments");
            }
            assertThat(repaired).isEqualTo(m);
        }

        // get_groupmsg_task: send_time as a string
        String msgid = manyTasks();
        ObjectNode taskQuery = SimClient.body().put("msgid", msgid);
        List<JsonNode> tasks = records(Api.TASK, client.call(Api.TASK, token, taskQuery));
        sim.faults().failNext(Api.TASK, Fault.ODD_RECORD, 1);
        List<JsonNode> oddTasks = records(Api.TASK, client.call(Api.TASK, token, taskQuery));
        assertThat(oddTasks.get(0).get("send_time").isTextual()).isTrue();
        assertThat(oddTasks.get(0).get("send_time").asText()).isEqualTo("not a time");
        assertThat(oddTasks.get(0).get("userid")).isEqualTo(tasks.get(0).get("userid"));
        assertThat(oddTasks.subList(1, oddTasks.size())).isEqualTo(tasks.subList(1, tasks.size()));

        // get_groupmsg_send_result: status as an object
        String[] big = bigSingleTask();
        ObjectNode resultQuery = SimClient.body().put("msgid", big[0]).put("userid", big[1]).put("limit", 3);
        List<JsonNode> results = records(Api.RESULT, client.call(Api.RESULT, token, resultQuery));
        sim.faults().failNext(Api.RESULT, Fault.ODD_RECORD, 1);
        List<JsonNode> oddResults = records(Api.RESULT, client.call(Api.RESULT, token, resultQuery));
        assertThat(oddResults.get(0).get("status")).isEqualTo(SimClient.body().put("odd", true));
        assertThat(oddResults.get(0).get("external_userid")).isEqualTo(results.get(0).get("external_userid"));
        assertThat(oddResults.subList(1, oddResults.size())).isEqualTo(results.subList(1, results.size()));
        assertThat(sim.counters().faults(Fault.ODD_RECORD)).isEqualTo(4);
    }

    @Test
    void pagesWithoutRecordsPassUntouchedAndKeepTheFault() {
        sim.faults().failNext(null, Fault.ODD_RECORD, 1).failNext(null, Fault.REPEATED_RECORDS, 1);
        ObjectNode nothing = SimClient.listBody("single", FROM - 86400, FROM - 1, null, 2, 10);
        JsonNode empty = client.call(Api.LIST, token, nothing);
        assertThat(empty.get("group_msg_list")).isEmpty();
        JsonNode stranger = client.call(Api.RESULT, token,
                SimClient.body().put("msgid", bigSingleTask()[0]).put("userid", "nobody99"));
        assertThat(stranger.get("send_list")).isEmpty();
        assertThat(client.call(Api.TASK, token, SimClient.body().put("msgid", "msgNOPE")).get("errcode").asInt())
                .isEqualTo(40058);
        assertThat(sim.faults().pending()).isEqualTo(2);
        assertThat(sim.counters().totalFaults()).isZero();

        JsonNode odd = client.call(Api.TASK, token, SimClient.body().put("msgid", manyTasks()));
        assertThat(odd.get("task_list").get(0).get("send_time").asText()).isEqualTo("not a time");
        assertThat(sim.faults().pending()).isEqualTo(1);
    }

    @Test
    void theRecordFaultsAreForTheMassMessageApisOnlyAndWorkByChance() {
        for (Fault f : List.of(Fault.CURSOR_CYCLE, Fault.REPEATED_RECORDS, Fault.ODD_RECORD)) {
            assertThat(f.isWecomError()).isFalse();
            assertThatThrownBy(() -> sim.faults().failNext(Api.GETTOKEN, f, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        sim.faults().probability(Fault.ODD_RECORD, 1.0);
        assertThat(client.token()).isEqualTo(token);
        String[] big = bigSingleTask();
        JsonNode odd = client.call(Api.RESULT, token, SimClient.body().put("msgid", big[0]).put("userid", big[1]));
        assertThat(odd.get("send_list").get(0).get("status").isObject()).isTrue();
        assertThat(odd.get("send_list").get(1).get("status").isInt()).isTrue();
    }

    private ObjectNode firstPage(Api api) {
        return switch (api) {
            case LIST -> SimClient.listBody("single", FROM, FROM + 31 * 86400L, null, 2, 3);
            case TASK -> SimClient.body().put("msgid", manyTasks()).put("limit", 2);
            case RESULT -> {
                String[] big = bigSingleTask();
                yield SimClient.body().put("msgid", big[0]).put("userid", big[1]).put("limit", 4);
            }
            default -> throw new IllegalArgumentException(api.toString());
        };
    }

    private static List<JsonNode> records(Api api, JsonNode answer) {
        List<JsonNode> out = new ArrayList<>();
        answer.get(HostileAnswers.recordsField(api)).forEach(out::add);
        return out;
    }

    @SafeVarargs
    private static List<JsonNode> concat(List<JsonNode>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }

    /** The single-chat message with the most tasks: at least three, so two pages of two. */
    private static String manyTasks() {
        String msgid = TRUTH.messages("single", FROM, TO, null, 0).map(m -> m.get("msgid").asText())
                .max(Comparator.comparingLong(TRUTH::countTasks)).orElseThrow();
        assertThat(TRUTH.countTasks(msgid)).isGreaterThanOrEqualTo(3);
        return msgid;
    }
}
