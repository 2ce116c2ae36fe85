package io.github.camelwecom.groupmsg.example.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Keeps WeCom mass-message send results in the table {@code wecom_groupmsg_send_result}: two routes
 * ({@link SendResultRoutes}) read every send result of single-chat and group-chat messages and upsert each as a row, so
 * a result WeCom reports again with a new status replaces its row. The component is configured in
 * {@code application.properties} through the camel-wecom-groupmsg starter; Camel's health is part of
 * {@code /actuator/health}.
 *
 * <p>
 * With {@code WECOM_CORP_ID} and {@code WECOM_CORP_SECRET} set it reads from WeCom; without them it starts the WeCom
 * simulator ({@link EmbeddedSimulatorConfiguration}) and checks the table against its ground truth
 * ({@link SyncReport}).
 */
@SpringBootApplication
public class SendResultSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SendResultSyncApplication.class, args);
    }
}
