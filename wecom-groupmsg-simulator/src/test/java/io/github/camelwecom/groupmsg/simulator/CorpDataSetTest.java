package io.github.camelwecom.groupmsg.simulator;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A corp given its own data set is served its records; every other corp the common ones. */
class CorpDataSetTest {
    private static final DataSet COMMON = DataSet.generate(DataSetSpec.small());
    private static final DataSet OWN =
            DataSet.generate(DataSetSpec.small().toBuilder().seed(7).singleMessages(40).members(30).build());

    @Test
    void eachCorpIsServedItsOwnRecords() {
        try (WecomSimulator sim = WecomSimulator.builder().dataSet(COMMON).credentials("ww-common", "secret-c")
                .credentials("ww-own", "secret-o").dataSet("ww-own", OWN).build().start()) {
            SimClient client = new SimClient(sim);
            assertThat(sim.dataSet("ww-own")).isSameAs(OWN);
            assertThat(sim.dataSet("ww-common")).isSameAs(COMMON);
            assertThat(msgids(client, "ww-own", "secret-o", OWN)).isNotEmpty()
                    .isEqualTo(truth(OWN)).doesNotContainAnyElementsOf(truth(COMMON));
            assertThat(msgids(client, "ww-common", "secret-c", COMMON)).isNotEmpty().isEqualTo(truth(COMMON));
        }
    }

    /** The msgids of the data set's first 20 days, as the corp's token lists them (filter 2: all). */
    private static Set<String> msgids(SimClient client, String corpId, String secret, DataSet data) {
        String token = client.getToken(corpId, secret).get("access_token").asText();
        JsonNode answer = client.call(Api.LIST, token, SimClient.listBody("single", data.startEpochSecond(),
                data.startEpochSecond() + 20L * 86400, null, 2, 100));
        assertThat(answer.path("errcode").asInt()).as(answer.toString()).isZero();
        Set<String> ids = new TreeSet<>();
        answer.get("group_msg_list").forEach(m -> ids.add(m.get("msgid").asText()));
        return ids;
    }

    private static Set<String> truth(DataSet data) {
        Set<String> ids = new TreeSet<>();
        data.groundTruth().messages("single", data.startEpochSecond(), data.startEpochSecond() + 20L * 86400, null, 2)
                .limit(100).forEach(m -> ids.add(m.get("msgid").asText()));
        return ids;
    }
}
