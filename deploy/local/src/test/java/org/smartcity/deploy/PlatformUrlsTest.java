package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The host part of the URLs the demo prints, from its {@code --bind} address. */
class PlatformUrlsTest {
    @Test
    void loopbackIsShownAsLocalhost() {
        assertThat(LocalPlatform.urlHost("127.0.0.1")).isEqualTo("localhost");
        assertThat(LocalPlatform.urlHost("::1")).isEqualTo("localhost");
    }

    @Test
    void theWildcardAddressIsShownAsThisMachinesName() throws Exception {
        String name = InetAddress.getLocalHost().getCanonicalHostName();
        assertThat(LocalPlatform.urlHost("0.0.0.0")).isEqualTo(name);
        assertThat(LocalPlatform.urlHost("::")).isEqualTo(name);
    }

    @Test
    void aLanAddressIsShownAsItIs() {
        assertThat(LocalPlatform.urlHost("192.168.1.20")).isEqualTo("192.168.1.20");
        assertThat(LocalPlatform.urlHost("fd00::20")).isEqualTo("[fd00::20]");
    }
}
