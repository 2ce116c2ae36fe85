package com.example.wecomexport;

import org.apache.camel.main.Main;

/**
 * Runs {@link WecomExportRoute} with Camel Main (settings in application.properties, the credentials from the
 * environment) until the route has read its range:
 * {@code shutdownWhenDone} then ends the JVM, with exit status 0, or 1 if the export failed.
 */
public final class ExportApp {

    private ExportApp() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    static Main newMain() {
        Main main = new Main();
        main.configure().addRoutesBuilder(new WecomExportRoute());
        return main;
    }
}
