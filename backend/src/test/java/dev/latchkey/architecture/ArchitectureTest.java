package dev.latchkey.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows of docs/architecture.md, held on the backend's compiled classes: {@code api} →
 * services → {@code store}; the definitions ({@code definition}, {@code provider}, {@code catalog})
 * free of HTTP and storage; Javalin only in {@code api}; no JCEF or Selenium anywhere.
 *
 * <p>A service is every package of the backend that is not one of the others, so the packages
 * still to come (oauth, runtime, gateway, login, …) are held to the service rules from their
 * first class.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.latchkey";
    private static final Set<String> NOT_SERVICES = Set.of("api", "store", "definition", "provider", "catalog");

    private static JavaClasses backend;

    @BeforeAll
    static void importBackend() {
        backend = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void api_uses_services_and_services_use_the_store_never_the_other_way() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy(ROOT + ".api..")
                .layer("services").definedBy(services())
                .layer("definitions").definedBy(ROOT + ".definition..", ROOT + ".provider..", ROOT + ".catalog..")
                .layer("store").definedBy(ROOT + ".store..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("services").mayOnlyBeAccessedByLayers("api")
                .whereLayer("definitions").mayOnlyBeAccessedByLayers("api", "services")
                .whereLayer("store").mayOnlyBeAccessedByLayers("services");
        check(rule);
    }

    @Test
    void definitions_know_nothing_of_http_storage_or_services() {
        check(noClasses().that().resideInAnyPackage(ROOT + ".definition..", ROOT + ".provider..", ROOT + ".catalog..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.javalin..", "jakarta.servlet..", "org.eclipse.jetty..", "java.net.http..",
                        "java.sql..", "javax.sql..", "org.h2..", "org.flywaydb..",
                        ROOT + ".api..", ROOT + ".store..")
                .orShould().dependOnClassesThat(services())
                .because("provider definitions and catalog manifests are data, read the same by every part"));
    }

    @Test
    void the_generic_loading_pieces_know_no_provider_or_catalog() {
        check(noClasses().that().resideInAPackage(ROOT + ".definition..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".provider..", ROOT + ".catalog.."));
        check(noClasses().that().resideInAPackage(ROOT + ".provider..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".catalog.."));
    }

    @Test
    void nothing_outside_api_imports_javalin_or_the_servlet_api() {
        check(noClasses().that().resideOutsideOfPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..")
                .because("services never import io.javalin; HTTP handlers only translate requests and responses"));
    }

    @Test
    void the_backend_never_imports_jcef_or_selenium() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.cef..", "me.friwi..", "org.openqa..", "dev.latchkey.browser..", "dev.latchkey.desktop..")
                .because("the embedded browser lives in browser-auth and desktop, behind the login port"));
    }

    @Test
    void the_classes_to_check_were_found() {
        // A wrong package name would import nothing, and every rule above would pass on nothing.
        for (String layer : Set.of("api", "store", "definition", "provider", "catalog", "install")) {
            org.assertj.core.api.Assertions.assertThat(backend.stream()
                    .filter(c -> c.getPackageName().equals(ROOT + "." + layer))).as(layer).isNotEmpty();
        }
    }

    /** Every backend class outside the root package and the api, store and definition packages. */
    private static DescribedPredicate<JavaClass> services() {
        return DescribedPredicate.describe("are in a service package (install, launch, oauth, runtime, gateway, login, …)",
                c -> {
                    String pkg = c.getPackageName();
                    if (!pkg.startsWith(ROOT + ".")) {
                        return false;
                    }
                    String first = pkg.substring(ROOT.length() + 1).split("\\.")[0];
                    return !NOT_SERVICES.contains(first);
                });
    }

    private static void check(ArchRule rule) {
        rule.check(backend);
    }
}
