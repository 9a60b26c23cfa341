package dev.latchkey.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.catalog.SealedSetting;
import dev.latchkey.catalog.ServerLaunch;
import dev.latchkey.catalog.Substitution;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRefusedException.Reason;
import dev.latchkey.install.InstallStore;
import dev.latchkey.provider.CredentialFile;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.sandbox.Access;
import dev.latchkey.store.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds an install's {@link LaunchSpec}: the one place where the catalog entry, the user's
 * settings and the connection's credentials meet. OAuth, browser login, the runtime and the UI all
 * ask here; none of them assembles a command line or an environment of its own.
 *
 * <ol>
 *   <li>the manifest's command, args and env with every {@code ${…}} filled in ({@link Substitution});</li>
 *   <li>the provider's {@code tokenEnvVarPattern}: each credential value under its variable, added to
 *       the manifest's env (a credential wins over a manifest value of the same name);</li>
 *   <li>the provider's {@code credentialFiles}, filled from the same values.</li>
 * </ol>
 */
public final class LaunchSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog;
    private final ProviderRegistry providers;
    private final InstallStore store;
    private final Function<String, Path> installDir;

    /** @param installDir an install id → its own directory */
    public LaunchSpecs(Catalog catalog, ProviderRegistry providers, InstallStore store,
            Function<String, Path> installDir) {
        this.catalog = catalog;
        this.providers = providers;
        this.store = store;
        this.installDir = installDir;
    }

    /**
     * The launch spec of a stored install, from what is stored now.
     *
     * @throws InstallRefusedException NOT_FOUND when there is no such install, NOT_RUNNABLE when its
     *                                 catalog server or provider is gone
     */
    public LaunchSpec forInstall(String installId) {
        Install install = store.find(installId).orElseThrow(() -> new InstallRefusedException(Reason.NOT_FOUND,
                "no install has the id \"" + installId + "\""));
        CatalogServer server = catalog.find(install.catalogName()).orElseThrow(() -> new InstallRefusedException(
                Reason.NOT_RUNNABLE, install.displayName() + " is no longer in the catalog (\""
                        + install.catalogName() + "\")"));
        Optional<Credentials> credentials = store.credentials(installId);
        ProviderDefinition provider = null;
        if (credentials.isPresent()) {
            String name = credentials.get().provider();
            provider = providers.find(name).orElseThrow(() -> new InstallRefusedException(Reason.NOT_RUNNABLE,
                    install.displayName() + " is connected through \"" + name + "\", which is no longer a known provider"));
        }
        return build(installId, server, SealedSetting.opened(server, store.openConfig(installId)), provider,
                credentials.map(Credentials::values).orElse(Map.of()), installDir.apply(installId), install.network());
    }

    /**
     * Builds a launch spec from its parts; pure.
     *
     * @param config      the install's settings, sensitive values open
     * @param provider    the connection's provider, or null for a server that needs no sign-in
     * @param credentials the connection's values by name (empty without a provider)
     */
    public static LaunchSpec build(String installId, CatalogServer server, Map<String, Object> config,
            ProviderDefinition provider, Map<String, String> credentials, Path directory) {
        return build(installId, server, config, provider, credentials, directory, true);
    }

    /** {@link #build}, with the network on or off ({@code network}) for its sandbox. */
    public static LaunchSpec build(String installId, CatalogServer server, Map<String, Object> config,
            ProviderDefinition provider, Map<String, String> credentials, Path directory, boolean network) {
        ServerLaunch launch = Substitution.resolve(server, config, directory, directory);
        Map<String, String> env = new LinkedHashMap<>(launch.env());
        List<LaunchFile> files = new ArrayList<>();
        Set<String> secrets = new HashSet<>(credentials.values());
        config.forEach((key, value) -> {
            if (server.isSensitive(key) && value instanceof Collection<?> items) {
                items.forEach(item -> secrets.add(String.valueOf(item)));
            } else if (server.isSensitive(key) && value != null) {
                secrets.add(String.valueOf(value));
            }
        });
        if (provider != null) {
            provider.tokenEnvVarPattern().forEach((value, variable) -> {
                if (credentials.containsKey(value)) {
                    env.put(variable, credentials.get(value));
                }
            });
            for (CredentialFile file : provider.credentialFiles()) {
                files.add(new LaunchFile(file.path(), json(file, credentials)));
            }
        }
        return new LaunchSpec(installId, launch.command(), launch.args(), env, files, directory, secrets,
                Access.of(server, config, network));
    }

    /**
     * Creates the install's directory (0700) and writes its credential files, each whole and
     * owner-only ({@link OwnerOnly#write}), so a server never reads half a file.
     */
    public static void writeFiles(LaunchSpec spec) {
        try {
            Files.createDirectories(spec.directory(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (LaunchFile file : spec.files()) {
                Path target = spec.directory().resolve(file.path()).normalize();
                if (!target.startsWith(spec.directory())) {
                    throw new IllegalArgumentException("credential file " + file.path() + " leaves the install's directory");
                }
                Files.createDirectories(target.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                OwnerOnly.write(target, file.content().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credential files of install " + spec.installId()
                    + " into " + spec.directory() + ": " + e.getMessage(), e);
        }
    }

    private static String json(CredentialFile file, Map<String, String> credentials) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file.fill(credentials));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write credential file " + file.path(), e);
        }
    }
}
