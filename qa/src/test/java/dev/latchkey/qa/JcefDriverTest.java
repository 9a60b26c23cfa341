package dev.latchkey.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;

/** ChromeDriver's log level, as a QA engineer sets it for the evidence's {@code chromedriver.log}. */
class JcefDriverTest {

    @AfterEach
    void forget() {
        System.clearProperty(JcefDriver.LOG_LEVEL_PROPERTY);
    }

    @Test
    void the_log_level_is_warning_unless_one_is_named() {
        assertThat(JcefDriver.logLevel()).isEqualTo(ChromiumDriverLogLevel.WARNING);
        System.setProperty(JcefDriver.LOG_LEVEL_PROPERTY, "info");
        assertThat(JcefDriver.logLevel()).isEqualTo(ChromiumDriverLogLevel.INFO);
    }

    @Test
    void a_level_chromedriver_does_not_know_is_refused_with_the_ones_it_does() {
        System.setProperty(JcefDriver.LOG_LEVEL_PROPERTY, "chatty");
        assertThatThrownBy(JcefDriver::logLevel).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"chatty\"").hasMessageContaining("info").hasMessageContaining("warning");
    }
}
