package io.github.camelwecom.groupmsg.example.javadsl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.github.camelwecom.groupmsg.WecomGroupMsgConstants;
import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The table {@value #TABLE}: one row per WeCom send result, keyed by (msgid, userid, external_userid, chat_id), the
 * columns the route's MERGE ({@code sql/merge-send-result.sql}) writes, and the summary the app prints.
 */
public final class SendResultTable {

    public static final String TABLE = "wecom_groupmsg_send_result";

    /** WeCom's send-result statuses, as its API document explains them. */
    public static final Map<Integer, String> STATUS = Map.of(0, "not sent", 1, "sent",
            2, "failed: not a contact", 3, "failed: customer already got a mass message");

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS %s (
                msgid           VARCHAR(128) NOT NULL,
                userid          VARCHAR(128) NOT NULL,
                external_userid VARCHAR(128) DEFAULT '' NOT NULL,  -- '' for a customer group chat
                chat_id         VARCHAR(128) DEFAULT '' NOT NULL,  -- '' for a customer
                status          INT NOT NULL,
                send_time       BIGINT,                            -- epoch seconds; NULL until sent
                chat_type       VARCHAR(8) NOT NULL,               -- single or group
                create_time     BIGINT,                            -- the message's, epoch seconds
                last_change     VARCHAR(8) NOT NULL,               -- NEW or UPDATED
                updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
                PRIMARY KEY (msgid, userid, external_userid, chat_id)
            )""".formatted(TABLE);

    private SendResultTable() {
    }

    /** Creates the table unless it is there already (a file database keeps it between runs). */
    public static void create(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }

    /**
     * Replaces the body, a {@link GroupMsgSendResult}, with the MERGE statement's named parameters: the record's fields
     * under their WeCom names, '' for an absent external_userid or chat_id, and from the headers the chat type, the
     * message's create_time and the change (NEW, UPDATED).
     */
    public static void toRow(Exchange exchange) throws InvalidPayloadException {
        GroupMsgSendResult result = exchange.getMessage().getMandatoryBody(GroupMsgSendResult.class);
        Map<String, Object> row = new HashMap<>();
        row.put("msgid", result.getMsgid());
        row.put("userid", result.getUserid());
        row.put("external_userid", result.getExternalUserid() == null ? "" : result.getExternalUserid());
        row.put("chat_id", result.getChatId() == null ? "" : result.getChatId());
        row.put("status", result.getStatus());
        row.put("send_time", result.getSendTime());
        row.put("chat_type", exchange.getMessage().getHeader(WecomGroupMsgConstants.CHAT_TYPE, String.class));
        row.put("create_time", exchange.getMessage().getHeader(WecomGroupMsgConstants.CREATE_TIME, Long.class));
        String change = exchange.getMessage().getHeader(WecomGroupMsgConstants.CHANGE, String.class);
        row.put("last_change", change == null ? WecomGroupMsgConstants.CHANGE_NEW : change);
        exchange.getMessage().setBody(row);
    }

    /** Rows in the table. */
    public static long count(DataSource dataSource) throws SQLException {
        return query(dataSource, "SELECT COUNT(*) FROM " + TABLE).values().iterator().next();
    }

    /** Rows per status, by status. */
    public static Map<Integer, Long> countByStatus(DataSource dataSource) throws SQLException {
        return countByStatus(dataSource, "");
    }

    /** Rows per status of the messages of {@code chatType} created from {@code start} to {@code end}, inclusive. */
    public static Map<Integer, Long> countByStatus(DataSource dataSource, String chatType, long start, long end)
            throws SQLException {
        if (!chatType.matches("[a-z]+")) {
            throw new IllegalArgumentException("chatType " + chatType);
        }
        return countByStatus(dataSource, " WHERE chat_type = '" + chatType + "' AND create_time BETWEEN " + start
                + " AND " + end);
    }

    private static Map<Integer, Long> countByStatus(DataSource dataSource, String where) throws SQLException {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        query(dataSource, "SELECT status, COUNT(*) FROM " + TABLE + where + " GROUP BY status ORDER BY status")
                .forEach((status, count) -> counts.put(Integer.valueOf(status), count));
        return counts;
    }

    /** Rows per last_change (NEW, UPDATED). */
    public static Map<String, Long> countByLastChange(DataSource dataSource) throws SQLException {
        return query(dataSource,
                "SELECT last_change, COUNT(*) FROM " + TABLE + " GROUP BY last_change ORDER BY last_change");
    }

    private static Map<String, Long> query(DataSource dataSource, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                out.put(columns == 1 ? "" : rows.getString(1), rows.getLong(columns));
            }
        }
        return out;
    }
}
