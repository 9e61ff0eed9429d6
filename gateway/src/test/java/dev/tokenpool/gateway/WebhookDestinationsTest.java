package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDestinationsTest {
    final WebhookDestinations safe = new WebhookDestinations(false, false);
    final WebhookDestinations open = new WebhookDestinations(true, true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "0.0.0.0",
                "100.64.0.1",
                "198.18.0.1",
                "255.255.255.255",
                "224.0.0.1",
                "::1",
                "fe80::1",
                "fd00::1",
                "::",
                "64:ff9b::a00:1",
                "::ffff:127.0.0.1"
            })
    void shouldCountNoLoopbackPrivateLinkLocalOrReservedAddressAsPublic(String address) throws Exception {
        assertThat(WebhookDestinations.isPublic(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"})
    void shouldCountPublicAddressesAsPublic(String address) throws Exception {
        assertThat(WebhookDestinations.isPublic(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void shouldRefuseHttpAndPrivateDestinationsUnlessAllowed() {
        assertThat(safe.refusal("https://hooks.example.com/in?x=1")).isNull();
        assertThat(safe.refusal("http://hooks.example.com/in"))
                .contains("https://")
                .contains("ALLOW_HTTP");
        assertThat(safe.refusal("https://127.0.0.1:8443/in")).contains("public address");
        assertThat(safe.refusal("https://[::1]/in")).contains("public address");
        assertThat(safe.refusal("https://169.254.169.254/latest/meta-data")).contains("public address");
        assertThat(safe.refusal("https://localhost/in")).contains("public address");
        assertThat(safe.refusal("ftp://hooks.example.com/")).contains("https://");
        assertThat(safe.refusal("https://user:pw@hooks.example.com/")).contains("user information");
        assertThat(safe.refusal("https:///no-host")).isNotNull();
        assertThat(safe.refusal("not a url")).isNotNull();

        assertThat(open.refusal("http://127.0.0.1:9000/in")).isNull();
        assertThat(open.refusal("http://localhost:9000/in")).isNull();
    }

    @Test
    void shouldCheckTheAddressesANameResolvesTo() throws Exception {
        assertThatThrownBy(() -> safe.resolve(URI.create("https://localhost:9/in")))
                .isInstanceOf(WebhookDestinations.Refused.class)
                .hasMessageContaining("non-public");
        assertThat(open.resolve(URI.create("http://localhost:9/in")).isLoopbackAddress())
                .isTrue();
        assertThatThrownBy(() -> safe.resolve(URI.create("https://no-such-host.invalid/in")))
                .isInstanceOf(WebhookDestinations.Refused.class)
                .hasMessageContaining("does not resolve");
    }
}
