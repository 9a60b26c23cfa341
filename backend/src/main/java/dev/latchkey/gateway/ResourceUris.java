package dev.latchkey.gateway;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Optional;

/**
 * The gateway's names for resources: a server's resource URI (or URI template) behind the install's
 * prefix, {@code latchkey://<prefix>/<the server's URI>}, e.g. {@code latchkey://everything/demo://resource/static/1}.
 * Two installs that list one URI so offer two resources, each read from its own server; the
 * prefix is the one of the install's tools ({@link InstallPrefixes}).
 */
final class ResourceUris {

    static final String SCHEME = "latchkey://";

    private ResourceUris() {
    }

    /** What the gateway lists for {@code uri} of the install with {@code prefix}. */
    static String exposed(String prefix, String uri) {
        return SCHEME + prefix + "/" + uri;
    }

    /** The install prefix and the server's own URI of an exposed URI; empty for any other URI. */
    static Optional<Parts> parse(String exposed) {
        if (exposed == null || !exposed.startsWith(SCHEME)) {
            return Optional.empty();
        }
        int slash = exposed.indexOf('/', SCHEME.length());
        if (slash <= SCHEME.length()) {
            return Optional.empty();
        }
        return Optional.of(new Parts(exposed.substring(SCHEME.length(), slash), exposed.substring(slash + 1)));
    }

    /** An exposed URI taken apart. */
    record Parts(String prefix, String uri) {
    }

    /** Read contents with their URIs as the client knows them: behind the install's prefix. */
    static McpSchema.ReadResourceResult exposedContents(String prefix, McpSchema.ReadResourceResult result) {
        return new McpSchema.ReadResourceResult(result.contents().stream().map(contents -> exposed(prefix, contents))
                .toList(), result.meta());
    }

    private static McpSchema.ResourceContents exposed(String prefix, McpSchema.ResourceContents contents) {
        if (contents instanceof McpSchema.TextResourceContents text) {
            return new McpSchema.TextResourceContents(exposed(prefix, text.uri()), text.mimeType(), text.text(), text.meta());
        }
        if (contents instanceof McpSchema.BlobResourceContents blob) {
            return new McpSchema.BlobResourceContents(exposed(prefix, blob.uri()), blob.mimeType(), blob.blob(), blob.meta());
        }
        return contents;
    }
}
