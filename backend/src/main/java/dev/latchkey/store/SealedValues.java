package dev.latchkey.store;

/**
 * How many values a database holds sealed with the vault key, wherever they are: install secrets
 * ({@code secrets}), pending sign-ins' PKCE verifiers ({@code pending_oauth_flows}) and the client
 * secrets of remote servers' authorization servers ({@code remote_clients}). {@link SecretVault#open(java.nio.file.Path,
 * java.util.function.LongSupplier)} makes no new key while this is above zero: every table that seals
 * with the key is counted here, or a lost key beside it would be replaced and its values never open.
 */
public final class SealedValues {

    private SealedValues() {
    }

    public static long count(Database database) {
        return database.inTransaction(connection -> {
            try (var rows = connection.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM secrets)"
                    + " + (SELECT COUNT(*) FROM pending_oauth_flows)"
                    + " + (SELECT COUNT(*) FROM remote_clients WHERE sealed_secret IS NOT NULL)")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
