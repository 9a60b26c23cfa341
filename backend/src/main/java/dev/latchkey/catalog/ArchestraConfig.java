package dev.latchkey.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How a catalog server is connected to a service: the manifest's {@code archestra_config}.
 *
 * @param oauth        the OAuth provider, or none
 * @param browserBased whether browser login is offered, and with which provider (already filled
 *                     in: explicit, else {@code <oauth provider>-browser})
 */
@JsonPropertyOrder({"oauth", "browser_based"})
public record ArchestraConfig(OAuth oauth, @JsonProperty("browser_based") BrowserBased browserBased) {

    public static final ArchestraConfig NONE = new ArchestraConfig(new OAuth(null, false), new BrowserBased(false, null));

    /**
     * @param provider the OAuth provider's name, or null when the server takes no OAuth
     * @param required whether the manifest says OAuth is required
     */
    @JsonPropertyOrder({"provider", "required"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OAuth(String provider, boolean required) {
    }

    /**
     * @param required true when the manifest offers browser login
     * @param provider the browser-login provider's name; null when browser login is not offered,
     *                 or offered with no provider to name (NameCheck reports that)
     */
    @JsonPropertyOrder({"required", "provider"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BrowserBased(boolean required, String provider) {
    }
}
