package dev.latchkey.proxy;

/** Which class serves a provider: the standard one, or one of the few with real quirks. */
public enum ProviderKind {
    STANDARD,
    SLACK,
    GITHUB,
    NOTION
}
