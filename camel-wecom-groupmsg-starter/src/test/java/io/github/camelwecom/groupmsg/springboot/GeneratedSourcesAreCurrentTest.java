package io.github.camelwecom.groupmsg.springboot;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.tools.StarterGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sources this build compiled {@link WecomGroupMsgComponentConfiguration} and
 * {@link WecomGroupMsgComponentConverter} from are what build/starter-generator writes for the component's catalog on
 * the classpath now. The build writes them in generate-sources, so this fails only when that step did not run for the
 * catalog being tested (an IDE build, {@code -Dexec.skip}, a component rebuilt alone) and the starter would ship
 * properties that no longer match the component's options.
 */
class GeneratedSourcesAreCurrentTest {

    @Test
    void theCompiledSourcesAreWhatTheGeneratorWritesForTheCatalogNow() throws Exception {
        String resource = System.getProperty("starter.catalog",
                "META-INF/io/github/camelwecom/groupmsg/wecom-groupmsg.json");
        JsonNode catalog;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("the component's catalog %s on the test classpath", resource).isNotNull();
            catalog = new ObjectMapper().readTree(in);
        }
        Path generated = generatedSources();
        Map<String, String> expected = new StarterGenerator(catalog).generate();
        assertThat(expected).hasSize(2);
        for (Map.Entry<String, String> file : expected.entrySet()) {
            Path path = generated.resolve(file.getKey());
            assertThat(path).as("generated source").isRegularFile();
            assertThat(Files.readString(path))
                    .as("%s is not what build/starter-generator writes for the component's catalog now: the starter"
                            + " was compiled without generating its sources again (mvn generate-sources in"
                            + " camel-wecom-groupmsg-starter writes them)", path)
                    .isEqualTo(file.getValue());
        }
    }

    /** Where the build wrote them: surefire says; from an IDE, beside the compiled classes. */
    static Path generatedSources() throws Exception {
        String configured = System.getProperty("starter.generated-sources");
        if (configured != null) {
            return Path.of(configured);
        }
        Path classes = Path.of(
                WecomGroupMsgComponentConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes.resolveSibling("generated-sources/starter");
    }
}
