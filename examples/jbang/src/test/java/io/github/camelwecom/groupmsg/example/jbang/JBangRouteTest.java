package io.github.camelwecom.groupmsg.example.jbang;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import io.github.camelwecom.groupmsg.TimeSpec;
import io.github.camelwecom.groupmsg.WecomGroupMsgConsumer;
import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.apache.camel.main.KameletMain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route file of this example, run as {@code camel run} runs it: by {@link KameletMain}, with nothing on the
 * classpath but the component and what Camel JBang adds for the file, and the properties on its command line.
 */
class JBangRouteTest {

    private static final Path ROUTE = Path.of("wecom-export.camel.yaml");

    @Test
    void theRouteFileExportsEveryRecordOfItsRange() throws Exception {
        DataSet data = DataSet.generate(DataSetSpec.small());
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        String start = "2025-09-01";
        String end = "2025-12-31T23:59:59";
        long expected = data.groundTruth().countResults("single", TimeSpec.parse(start, shanghai, null),
                TimeSpec.parse(end, shanghai, null), null, 2);
        try (WecomSimulator simulator = WecomSimulator.builder().dataSet(data).build().start()) {
            KameletMain main = new KameletMain("wecom-groupmsg-jbang-test");
            main.setDownload(false); // the test's classpath holds what camel run would download
            main.configure().withRoutesIncludePattern("file:" + ROUTE.toAbsolutePath());
            main.configure().withAdditionalSensitiveKeywords("corpsecret"); // as application.properties has it
            main.addInitialProperty("wecom.base-url", simulator.baseUrl());
            main.addInitialProperty("wecom.corp-id", WecomSimulator.DEFAULT_CORP_ID);
            main.addInitialProperty("wecom.corp-secret", WecomSimulator.DEFAULT_CORP_SECRET);
            main.addInitialProperty("wecom.start-time", start);
            main.addInitialProperty("wecom.end-time", end);
            main.start();
            try {
                WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) main.getCamelContext()
                        .getRoute("wecom-export").getConsumer();
                await().atMost(Duration.ofSeconds(60)).until(consumer::isFinished);
                assertThat(consumer.getRecordsEmitted()).isEqualTo(expected).isPositive();
            } finally {
                main.stop();
            }
        }
    }
}
