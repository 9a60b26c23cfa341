package dev.latchkey.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code install_config} rows of installs: plain values as JSON, sensitive ones only as a key
 * (their values are {@link SecretRows}); inside a transaction of {@link InstallStore}.
 */
final class ConfigRows {

    private final ObjectMapper json;

    ConfigRows(ObjectMapper json) {
        this.json = json;
    }

    void insert(Connection connection, String id, Map<String, Object> plain, Map<String, String> sensitive)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO install_config (install_id, config_key, value_json, sensitive) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Object> entry : plain.entrySet()) {
                insert.setString(1, id);
                insert.setString(2, entry.getKey());
                insert.setString(3, toJson(entry.getValue()));
                insert.setBoolean(4, false);
                insert.addBatch();
            }
            for (String key : sensitive.keySet()) {
                insert.setString(1, id);
                insert.setString(2, key);
                insert.setString(3, null);
                insert.setBoolean(4, true);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The plain values, by key. */
    Map<String, Object> plain(Connection connection, String id) throws SQLException {
        Map<String, Object> config = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT config_key, value_json FROM install_config WHERE install_id = ? AND NOT sensitive")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    config.put(rows.getString(1), fromJson(rows.getString(2)));
                }
            }
        }
        return config;
    }

    /** Every value by key, a sensitive one as {@link Install#MASK}. */
    Map<String, Object> masked(Connection connection, String id) throws SQLException {
        Map<String, Object> config = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT config_key, value_json, sensitive FROM install_config WHERE install_id = ? ORDER BY config_key")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    config.put(rows.getString(1), rows.getBoolean(3) ? Install.MASK : fromJson(rows.getString(2)));
                }
            }
        }
        return config;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store a setting as JSON: " + e.getOriginalMessage());
        }
    }

    private Object fromJson(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored setting is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
