package io.github.camelwecom.groupmsg.example;

import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;

import io.github.camelwecom.groupmsg.simulator.DataSet;
import io.github.camelwecom.groupmsg.simulator.DataSetSpec;
import io.github.camelwecom.groupmsg.simulator.WecomSimulator;

/** The WeCom simulator the demo and the examples export from when they are not given a real corp's credentials. */
public final class EmbeddedWecom {

    private EmbeddedWecom() {
    }

    /**
     * Starts a simulator with the data set {@code WECOM_SIMULATOR_DATASET} names (default demo) and points the
     * {@code wecom.*} settings at it, unless they hold both a corp id and a secret.
     *
     * @return the started simulator, for the caller to close; null when real credentials were given
     */
    public static WecomSimulator startUnlessCredentials(Properties settings, Map<String, String> env,
            PrintStream out) {
        if (settings.containsKey("wecom.corp-id") && settings.containsKey("wecom.corp-secret")) {
            return null;
        }
        String preset = env.getOrDefault("WECOM_SIMULATOR_DATASET", "demo");
        WecomSimulator simulator = WecomSimulator.builder().port(0).dataSet(DataSet.generate(dataSetSpec(preset)))
                .build();
        simulator.start();
        settings.setProperty("wecom.base-url", simulator.baseUrl());
        settings.setProperty("wecom.corp-id", WecomSimulator.DEFAULT_CORP_ID);
        settings.setProperty("wecom.corp-secret", WecomSimulator.DEFAULT_CORP_SECRET);
        out.println("WECOM_CORP_ID and WECOM_CORP_SECRET are not both set: exporting from the embedded WeCom "
                + "simulator (" + preset + " data set: " + simulator.dataSet() + ")");
        return simulator;
    }

    private static DataSetSpec dataSetSpec(String preset) {
        try {
            return DataSetSpec.preset(preset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WECOM_SIMULATOR_DATASET: " + e.getMessage(), e);
        }
    }
}
