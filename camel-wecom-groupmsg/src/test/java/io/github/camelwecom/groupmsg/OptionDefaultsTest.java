package io.github.camelwecom.groupmsg;

import java.io.InputStream;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.docs.OptionTablesGenerator;
import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults the catalog shows (the option tables, tooling, the starter) are the ones an endpoint runs with, and the
 * client's own: a suite's token calls get the same base URL, retries and timeouts as an endpoint.
 */
class OptionDefaultsTest {

    @Test
    void theCatalogsDefaultsAreTheClients() throws Exception {
        JsonNode options;
        try (InputStream in = getClass().getResourceAsStream("/" + OptionTablesGenerator.CATALOG)) {
            options = new ObjectMapper().readTree(in).path("properties");
        }
        WecomGroupMsgConfiguration config = new WecomGroupMsgConfiguration();
        ClientSettings.Retries retries = ClientSettings.Retries.DEFAULT;
        ClientSettings.Timeouts timeouts = ClientSettings.Timeouts.DEFAULT;

        assertThat(options.path("baseUrl").path("defaultValue").asText()).isEqualTo(ClientSettings.DEFAULT_BASE_URL)
                .isEqualTo(config.getBaseUrl());
        assertThat(options.path("maxRetries").path("defaultValue").asInt()).isEqualTo(retries.maxRetries())
                .isEqualTo(config.getMaxRetries());
        assertThat(millis(options, "retryDelay")).isEqualTo(retries.retryDelay())
                .isEqualTo(Duration.ofMillis(config.getRetryDelay()));
        assertThat(millis(options, "maxRetryDelay")).isEqualTo(retries.maxRetryDelay())
                .isEqualTo(Duration.ofMillis(config.getMaxRetryDelay()));
        assertThat(millis(options, "connectTimeout")).isEqualTo(timeouts.connect())
                .isEqualTo(Duration.ofMillis(config.getConnectTimeout()));
        assertThat(millis(options, "responseTimeout")).isEqualTo(timeouts.response())
                .isEqualTo(Duration.ofMillis(config.getResponseTimeout()));
    }

    private static Duration millis(JsonNode options, String name) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(options.path(name).path("defaultValue").asText()));
    }
}
