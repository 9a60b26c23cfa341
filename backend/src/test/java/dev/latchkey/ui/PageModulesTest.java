package dev.latchkey.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Connectors page asks for all its scripts at once: index.html preloads every module that
 * app.js imports, directly or not, so the browser does not find them one import level at a time
 * (measured in docs/benchmarks.md, "JCEF window"). A module added without its preload, or a
 * preload left behind for a module that is gone, fails here.
 */
class PageModulesTest {

    private static final Pattern IMPORT = Pattern.compile("^import .* from '\\./([\\w-]+\\.js)';$", Pattern.MULTILINE);
    private static final Pattern PRELOAD = Pattern.compile("<link rel=\"modulepreload\" href=\"/js/([\\w-]+\\.js)\">");

    @Test
    void index_html_preloads_exactly_the_modules_app_js_imports_directly_or_not() throws IOException {
        Set<String> imported = new TreeSet<>();
        Deque<String> toRead = new ArrayDeque<>(Set.of("app.js"));
        while (!toRead.isEmpty()) {
            Matcher imports = IMPORT.matcher(resource("/web/js/" + toRead.pop()));
            while (imports.find()) {
                if (imported.add(imports.group(1))) {
                    toRead.push(imports.group(1));
                }
            }
        }
        Set<String> preloaded = new TreeSet<>();
        Matcher preloads = PRELOAD.matcher(resource("/web/index.html"));
        while (preloads.find()) {
            preloaded.add(preloads.group(1));
        }

        assertThat(imported).as("modules app.js imports").hasSizeGreaterThan(5);
        assertThat(preloaded).isEqualTo(imported);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = PageModulesTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path + " on the class path (web-ui)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
