package io.github.camelwecom.groupmsg.example.jbang;

import org.apache.camel.main.KameletMain;

/**
 * The route file under {@link KameletMain} in a JVM of its own, as {@code camel run} runs it, with the properties
 * {@code camel run --prop} would pass given as system properties ({@code -Dwecom.base-url=...}); nothing is downloaded:
 * the classpath holds what {@code camel run} would download.
 */
public final class JBangRouteApp {

    private JBangRouteApp() {
    }

    public static void main(String[] args) throws Exception {
        KameletMain main = new KameletMain("wecom-groupmsg-jbang-app");
        main.setDownload(false);
        main.configure().withRoutesIncludePattern("file:" + System.getProperty("route.file"));
        main.run(args);
    }
}
