package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code SMARTCITY_BROKER_JAVA_OPTIONS}: more JVM flags for the broker children. */
class BrokerJavaOptionsTest {

    @Test
    void unsetOrBlankAddsNothing() {
        assertThat(BrokerProcess.javaOptions(null)).isEmpty();
        assertThat(BrokerProcess.javaOptions("  ")).isEmpty();
    }

    @Test
    void flagsAreSplitAtWhitespace() {
        assertThat(BrokerProcess.javaOptions(" -XX:TieredStopAtLevel=1 \t-XX:CICompilerCount=1 "))
                .containsExactly("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1");
    }
}
