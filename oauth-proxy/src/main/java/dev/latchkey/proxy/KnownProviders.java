package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in providers' endpoints and habits, read from {@code known-providers.json}. A
 * provider listed there needs only its client id and secret in the environment.
 */
final class KnownProviders {

    /** One entry of {@code known-providers.json}. */
    record Defaults(String kind, URI tokenUrl, URI revokeUrl, String auth, boolean refreshes) {
    }

    private static final Map<ProviderName, Defaults> ALL = load();

    private KnownProviders() {
    }

    static Map<ProviderName, Defaults> all() {
        return ALL;
    }

    private static Map<ProviderName, Defaults> load() {
        ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        try (InputStream in = KnownProviders.class.getResourceAsStream("known-providers.json")) {
            Map<String, Defaults> raw = json.readValue(in,
                    json.getTypeFactory().constructMapType(Map.class, String.class, Defaults.class));
            Map<ProviderName, Defaults> byName = new TreeMap<>();
            raw.forEach((name, defaults) -> byName.put(new ProviderName(name), defaults));
            return Map.copyOf(byName);
        } catch (IOException e) {
            throw new UncheckedIOException("known-providers.json is broken", e);
        }
    }
}
