package io.github.camelwecom.groupmsg;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelwecom.groupmsg.docs.OptionTablesGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component page cannot drift from the code: its option and header tables are the generator's output for the
 * current catalog, and every option or header its prose names exists in the catalog.
 */
class DocsTest {

    private static final Path DOCS = Path.of("src/main/docs");
    private static final Path PAGE = DOCS.resolve("wecom-groupmsg-component.adoc");
    private static final Path TABLES = DOCS.resolve("wecom-groupmsg-options.adoc");

    /** An option written as {@code ?name=}, {@code &name=} or {@code `name=}: in a URI, or as a value in prose. */
    private static final Pattern OPTION_IN_PROSE = Pattern.compile("[?&`]([a-z][A-Za-z0-9]*)=");
    private static final Pattern HEADER_IN_PROSE = Pattern.compile("CamelWecomGroupMsg[A-Za-z]+");

    private static JsonNode catalog;
    private static String page;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = DocsTest.class.getResourceAsStream("/" + OptionTablesGenerator.CATALOG)) {
            assertThat(in).as("catalog on the test classpath").isNotNull();
            catalog = new ObjectMapper().readTree(in);
        }
        page = Files.readString(PAGE, StandardCharsets.UTF_8);
    }

    @Test
    void theTablesFileIsWhatTheGeneratorMakesOfTheCatalog() throws Exception {
        assertThat(Files.readString(TABLES, StandardCharsets.UTF_8))
                .as(TABLES + " is stale: the build rewrites it (OptionTablesGenerator); commit the new one")
                .isEqualTo(OptionTablesGenerator.render(catalog));
    }

    @Test
    void thePageIncludesTheTablesInsteadOfACopy() {
        for (String tag : new String[] { "component-options", "endpoint-options", "headers" }) {
            assertThat(page).contains("include::" + TABLES.getFileName() + "[tag=" + tag + "]");
        }
        assertThat(page.lines().filter(l -> l.startsWith("| *")).toList()).as("option rows pasted into the page")
                .isEmpty();
    }

    @Test
    void everyOptionAndHeaderTheProseNamesExists() {
        Set<String> unknown = new TreeSet<>();
        Matcher option = OPTION_IN_PROSE.matcher(page);
        while (option.find()) {
            String name = option.group(1);
            if (ofAnotherComponent(option.start()) || catalog.get("properties").has(name)
                    || catalog.get("componentProperties").has(name)) {
                continue;
            }
            unknown.add(name);
        }
        Matcher header = HEADER_IN_PROSE.matcher(page);
        while (header.find()) {
            if (!catalog.get("headers").has(header.group())) {
                unknown.add(header.group());
            }
        }
        assertThat(unknown).as("options or headers the page names that the catalog does not have").isEmpty();
    }

    /** The match at {@code at} is in a URI of another scheme (kafka:, timer:), whose options are not ours. */
    private static boolean ofAnotherComponent(int at) {
        int start = at;
        while (start > 0 && !Character.isWhitespace(page.charAt(start - 1)) && page.charAt(start - 1) != '"') {
            start--;
        }
        String uri = page.substring(start, at);
        return uri.contains(":") && !uri.contains("wecom-groupmsg");
    }

    @Test
    void credentialsPropertiesHaveOneNaming() {
        assertThat(page).doesNotContain("wecom.secret").doesNotContain("wecom.corpId")
                .doesNotContain("wecom.corpSecret");
    }
}
