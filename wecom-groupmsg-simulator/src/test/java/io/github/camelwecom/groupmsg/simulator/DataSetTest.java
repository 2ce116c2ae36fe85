package io.github.camelwecom.groupmsg.simulator;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSetTest {
    private static final DataSet SMALL = DataSet.generate(DataSetSpec.small());
    private static final GroundTruth TRUTH = SMALL.groundTruth();
    private static final long FROM = SMALL.startEpochSecond();
    private static final long TO = SMALL.endEpochSecond();

    @Test
    void sameSpecGivesSameData() {
        DataSet again = DataSet.generate(DataSetSpec.small());
        assertThat(again.groundTruth().results("single", FROM, TO, null, 2).toList())
                .isEqualTo(TRUTH.results("single", FROM, TO, null, 2).toList());
        assertThat(again.groundTruth().messages("group", FROM, TO, null, 2).toList())
                .isEqualTo(TRUTH.messages("group", FROM, TO, null, 2).toList());
        DataSet other = DataSet.generate(DataSetSpec.small().withSeed(7));
        assertThat(other.groundTruth().messages("single", FROM, TO, null, 2).toList())
                .isNotEqualTo(TRUTH.messages("single", FROM, TO, null, 2).toList());
    }

    @Test
    void smallPresetIsCompactButHasMultiPageResults() {
        assertThat(SMALL.messageCount(ChatType.SINGLE)).isEqualTo(30);
        assertThat(SMALL.messageCount(ChatType.GROUP)).isEqualTo(15);
        assertThat(SMALL.sendResultCount()).isBetween(1_000L, 20_000L);
        long biggest = TRUTH.messages("single", FROM, TO, null, 2)
                .flatMap(m -> TRUTH.tasks(m.get("msgid").asText())
                        .map(t -> TRUTH.countResults(m.get("msgid").asText(), t.get("userid").asText())))
                .mapToLong(Long::longValue).max().orElse(0);
        assertThat(biggest).isGreaterThan(1000);
    }

    @Test
    void messagesAreInApiOrderWithinTheRangeAndSomeShareASecond() {
        for (String type : List.of("single", "group")) {
            List<ObjectNode> msgs = TRUTH.messages(type, FROM, TO, null, 2).toList();
            Set<Long> seconds = new HashSet<>();
            boolean tie = false;
            for (int i = 0; i < msgs.size(); i++) {
                long t = msgs.get(i).get("create_time").asLong();
                assertThat(t).isBetween(FROM, TO);
                tie |= !seconds.add(t);
                if (i > 0) {
                    ObjectNode prev = msgs.get(i - 1);
                    long pt = prev.get("create_time").asLong();
                    assertThat(pt < t
                            || pt == t && prev.get("msgid").asText().compareTo(msgs.get(i).get("msgid").asText()) < 0)
                            .as("order at %d", i).isTrue();
                }
            }
            assertThat(msgs).allSatisfy(m -> assertThat(m.has("text") || m.has("attachments")).isTrue());
            if (type.equals("single")) {
                assertThat(tie).as("messages sharing a create_time").isTrue();
            }
        }
    }

    @Test
    void messagesMixCreateTypesCreatorsAndContentShapes() {
        List<ObjectNode> all = TRUTH.messages("single", FROM, TO, null, 2).collect(Collectors.toList());
        all.addAll(TRUTH.messages("group", FROM, TO, null, 2).toList());
        assertThat(all).extracting(m -> m.get("create_type").asInt()).contains(0, 1);
        assertThat(all.stream().map(m -> m.get("creator").asText()).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(all).anySatisfy(m -> assertThat(m.has("attachments")).isFalse());
        assertThat(all).anySatisfy(m -> assertThat(m.has("text")).isFalse());
        assertThat(all).allSatisfy(m -> assertThat(m.path("attachments").size()).isLessThanOrEqualTo(9));
        Set<String> types = attachmentTypes(all);
        assertThat(types).containsExactlyInAnyOrder("image", "link", "miniprogram", "video", "file");
        JsonNode link = all.stream().flatMap(m -> stream(m.path("attachments")))
                .filter(a -> a.get("msgtype").asText().equals("link")).findFirst().orElseThrow().get("link");
        assertThat(link.fieldNames()).toIterable().containsExactly("title", "picurl", "desc", "url");
    }

    @Test
    void unknownAttachmentTypeOnlyWhenAsked() {
        DataSet ds = DataSet.generate(DataSetSpec.small().withUnknownAttachmentType(true));
        List<ObjectNode> all = ds.groundTruth().messages("single", FROM, TO, null, 2).toList();
        JsonNode channels = all.stream().flatMap(m -> stream(m.path("attachments")))
                .filter(a -> a.get("msgtype").asText().equals("channels")).findFirst().orElseThrow();
        assertThat(channels.get("channels").has("nickname")).isTrue();
        assertThat(channels.get("channels").has("feed_id")).isTrue();
    }

    @Test
    void tasksAndResultsHaveMixedStatusesAndWecomShapes() {
        List<ObjectNode> tasks = TRUTH.tasks("single", FROM, TO, null, 2).toList();
        assertThat(tasks).extracting(t -> t.get("status").asInt()).contains(0, 2).containsOnly(0, 2);
        assertThat(tasks).allSatisfy(t -> assertThat(t.has("send_time")).isEqualTo(t.get("status").asInt() == 2));
        assertThat(tasks.get(0).fieldNames()).toIterable().startsWith("msgid", "userid");

        List<ObjectNode> single = TRUTH.results("single", FROM, TO, null, 2).toList();
        assertThat(single).extracting(r -> r.get("status").asInt()).contains(0, 1, 2, 3);
        assertThat(single).allSatisfy(r -> {
            assertThat(r.get("external_userid").asText()).startsWith("wm");
            assertThat(r.has("chat_id")).isFalse();
            assertThat(r.has("send_time")).isEqualTo(r.get("status").asInt() == 1);
        });
        List<ObjectNode> group = TRUTH.results("group", FROM, TO, null, 2).toList();
        assertThat(group).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("chat_id").asText()).startsWith("wr");
            assertThat(r.has("external_userid")).isFalse();
            assertThat(r.get("status").asInt()).isEqualTo(1);
            assertThat(r.has("send_time")).isTrue();
        });
        assertThat(single.get(0).fieldNames()).toIterable()
                .startsWith("msgid", "external_userid", "userid", "status");
    }

    @Test
    void resultsFollowTaskOrderAndCountsAgree() {
        String msgid = TRUTH.messages("single", FROM, TO, null, 0).findFirst().orElseThrow().get("msgid").asText();
        List<String> taskUsers = TRUTH.tasks(msgid).map(t -> t.get("userid").asText()).toList();
        List<String> resultUsers = TRUTH.results(msgid).map(r -> r.get("userid").asText()).distinct().toList();
        assertThat(taskUsers).containsSubsequence(resultUsers);
        assertThat(TRUTH.countResults(msgid)).isEqualTo(TRUTH.results(msgid).count());
        for (String type : List.of("single", "group")) {
            for (int filter = 0; filter <= 2; filter++) {
                assertThat(TRUTH.countResults(type, FROM, TO, null, filter))
                        .isEqualTo(TRUTH.results(type, FROM, TO, null, filter).count());
                assertThat(TRUTH.countTasks(type, FROM, TO, null, filter))
                        .isEqualTo(TRUTH.tasks(type, FROM, TO, null, filter).count());
            }
            assertThat(TRUTH.countMessages(type, FROM, TO, null, 0) + TRUTH.countMessages(type, FROM, TO, null, 1))
                    .isEqualTo(TRUTH.countMessages(type, FROM, TO, null, 2));
        }
        assertThat(TRUTH.countResults("single", FROM, TO, null, 2) + TRUTH.countResults("group", FROM, TO, null, 2))
                .isEqualTo(SMALL.sendResultCount());
        assertThat(TRUTH.results(msgid, "nobody")).isEmpty();
    }

    @Test
    void groundTruthNodesEqualWhatAClientParsesFromTheWire() throws Exception {
        var mapper = new ObjectMapper();
        for (String type : List.of("single", "group")) {
            for (ObjectNode n : concat(TRUTH.messages(type, FROM, TO, null, 2).toList(),
                    TRUTH.tasks(type, FROM, TO, null, 2).toList(), TRUTH.results(type, FROM, TO, null, 2).toList())) {
                assertThat(mapper.readTree(n.toString())).isEqualTo(n);
            }
        }
    }

    @SafeVarargs
    private static List<ObjectNode> concat(List<ObjectNode>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }

    @Test
    void groundTruthRejectsBadArguments() {
        assertThatThrownBy(() -> TRUTH.messages("channel", FROM, TO, null, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TRUTH.messages("single", FROM, TO, null, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TRUTH.tasks("no-such-msgid")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largePresetGeneratesFastWithTheRequestedSize() {
        long t0 = System.nanoTime();
        DataSet large = DataSet.generate(DataSetSpec.large());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("generation time in ms").isLessThan(5_000);
        assertThat(large.sendResultCount()).isBetween(950_000L, 1_100_000L);
        GroundTruth truth = large.groundTruth();
        long from = large.startEpochSecond();
        long to = large.endEpochSecond();
        long single = truth.countResults("single", from, to, null, 2);
        assertThat(single + truth.countResults("group", from, to, null, 2)).isEqualTo(large.sendResultCount());
        assertThat(truth.results("single", from, to, null, 2).count()).isEqualTo(single);
    }

    @Test
    void specValidatesItsArguments() {
        assertThatThrownBy(() -> DataSetSpec.builder().members(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSetSpec.builder().bigMemberCustomers(900, 1200).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DataSetSpec.withResults(20_000).targetSendResults()).isEqualTo(20_000);
        DataSet ds = DataSet.generate(DataSetSpec.withResults(20_000));
        assertThat(ds.sendResultCount()).isBetween(15_000L, 30_000L);
    }

    private static Set<String> attachmentTypes(List<ObjectNode> messages) {
        return messages.stream().flatMap(m -> stream(m.path("attachments")))
                .map(a -> a.get("msgtype").asText()).collect(Collectors.toSet());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
