package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
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

    /** One entry of {@code known-providers.json}; {@code revokeUrl} is null when there is none. */
    record Defaults(ProviderKind kind, URI tokenUrl, URI revokeUrl, ClientAuth auth, boolean refreshes) {
    }

    /** What a provider declared by configuration alone starts from: no endpoint, {@code post}, refreshes. */
    static final Defaults CONFIGURED = new Defaults(ProviderKind.STANDARD, null, null, ClientAuth.POST, true);

    private static final Map<ProviderName, Defaults> ALL = load();

    private KnownProviders() {
    }

    static Map<ProviderName, Defaults> all() {
        return ALL;
    }

    private static Map<ProviderName, Defaults> load() {
        // The file spells kinds and auth methods in lower case, as the environment does.
        ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
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
