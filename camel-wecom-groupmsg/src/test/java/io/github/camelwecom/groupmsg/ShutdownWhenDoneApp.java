package io.github.camelwecom.groupmsg;

import java.io.File;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.support.processor.state.FileStateRepository;

/**
 * A user's Camel Main application with the README's first route and {@code shutdownWhenDone=true}, run as a JVM of its
 * own by {@link ShutdownWhenDoneTest}. The credentials come from the environment ({@code WECOM_CORP_ID},
 * {@code WECOM_CORP_SECRET}), the rest from system properties: {@code wecom.base-url}, {@code wecom.state} (a
 * {@link FileStateRepository} file), optional {@code wecom.start-time} and {@code wecom.uri-suffix} (appended to the
 * URI, e.g. an unknown option). On exit it prints {@value #RECORDS} and the records the route processed.
 */
public final class ShutdownWhenDoneApp {

    static final String RECORDS = "records processed by the route: ";

    private ShutdownWhenDoneApp() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong records = new AtomicLong();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(RECORDS + records.get())));
        Main main = new Main();
        main.bind("state", FileStateRepository.fileStateRepository(new File(System.getProperty("wecom.state"))));
        String suffix = System.getProperty("wecom.uri-suffix", "");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("wecom-groupmsg:result?corpId={{wecom.corp-id}}&corpSecret=RAW({{wecom.corp-secret}})"
                        + "&startTime={{wecom.start-time:2025-11-01}}&endTime=2025-11-30T23:59:59"
                        + "&shutdownWhenDone=true&baseUrl={{wecom.base-url}}&stateRepository=#state" + suffix)
                        .marshal().json()
                        .process(exchange -> records.incrementAndGet());
            }
        });
        main.run(args);
    }
}
