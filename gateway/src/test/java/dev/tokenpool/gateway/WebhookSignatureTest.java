package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    /** The example of the Standard Webhooks specification and its reference libraries. */
    @Test
    void shouldSignTheStandardWebhooksExampleAsTheSpecificationDoes() {
        String signature = WebhookSignature.sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldSignWithEverySecretOfARotation() {
        String first = WebhookSignature.newSecret();
        String second = WebhookSignature.newSecret();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        String header = WebhookSignature.header(List.of(first, second), "evt_1", 1_700_000_000, body);

        assertThat(header.split(" "))
                .containsExactly(
                        WebhookSignature.sign(first, "evt_1", 1_700_000_000, body),
                        WebhookSignature.sign(second, "evt_1", 1_700_000_000, body));
        assertThat(first).startsWith("whsec_").isNotEqualTo(second);
    }
}
