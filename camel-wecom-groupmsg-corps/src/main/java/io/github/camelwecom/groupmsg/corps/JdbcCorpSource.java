package io.github.camelwecom.groupmsg.corps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Corps from a query: each row is a corp and each column a template parameter, named by its label, so
 * {@code SELECT corp_id AS "corpId", corp_secret AS "corpSecret" FROM wecom_corp WHERE enabled} gives the parameters
 * {@code corpId} and {@code corpSecret}. The query runs at each refresh.
 */
public class JdbcCorpSource implements CorpSource {

    private final DataSource dataSource;
    private final String query;

    public JdbcCorpSource(DataSource dataSource, String query) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.query = Objects.requireNonNull(query, "query");
    }

    @Override
    public List<Map<String, Object>> corps() throws Exception {
        List<Map<String, Object>> corps = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query);
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData columns = rows.getMetaData();
            while (rows.next()) {
                Map<String, Object> corp = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    Object value = rows.getObject(i);
                    if (value != null) {
                        corp.put(columns.getColumnLabel(i), value);
                    }
                }
                corps.add(corp);
            }
        }
        return corps;
    }

    @Override
    public String toString() {
        return "JdbcCorpSource[" + query + "]";
    }
}
