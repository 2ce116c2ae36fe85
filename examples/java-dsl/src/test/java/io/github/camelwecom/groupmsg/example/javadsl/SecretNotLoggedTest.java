package io.github.camelwecom.groupmsg.example.javadsl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's documented way of passing the secret ({@code WECOM_CORP_SECRET}, a Camel property to the route): the whole
 * log of that run (every logger at the level the example configures, written to target/example-test.log by
 * log4j2-test.properties) and its printed summary never carry the secret.
 */
class SecretNotLoggedTest {

    private static final Path LOG = Path.of("target/example-test.log");
    private static final String SECRET = "Java-Dsl-Test-Secret-a61f08";

    @Test
    void theSecretIsInNoLineOfTheRun() throws Exception {
        try (WecomSimulator wecom = WecomSimulator.builder().port(0).dataSet(DataSet.generate(DataSetSpec.small()))
                .credentials("ww-example-test", SECRET).build().start()) {
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            long mark = Files.exists(LOG) ? Files.size(LOG) : 0;

            int status = SendResultsToH2.run(Map.of("WECOM_CORP_ID", "ww-example-test", "WECOM_CORP_SECRET", SECRET,
                    "WECOM_BASE_URL", wecom.baseUrl(), "WECOM_END_TIME", "2025-12-31T23:59:59"),
                    new PrintStream(summary, true, StandardCharsets.UTF_8));

            String log = logSince(mark);
            assertThat(status).isZero();
            assertThat(log).contains("Apache Camel").contains("Export of result of route").doesNotContain(SECRET);
            assertThat(summary.toString(StandardCharsets.UTF_8)).contains("range read to its end: yes")
                    .doesNotContain(SECRET);
        }
    }

    private static String logSince(long mark) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - mark)];
            file.seek(mark);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
