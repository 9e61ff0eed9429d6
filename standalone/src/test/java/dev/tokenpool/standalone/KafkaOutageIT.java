package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker stops under load and comes back: every request answered 503 ("nothing was applied") was
 * indeed not applied, every acknowledged one was, and nothing else appeared.
 */
@ExtendWith(KafkaBroker.class)
class KafkaOutageIT {

    @Test
    void shouldApplyNothingItAnswered503ForWhileKafkaWasAway() throws Exception {
        Path brokerDir = DataDirs.dir("tokenpool-outage");
        int port = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, port, controllerPort);
        try (TokenPoolStack stack = TokenPoolStack.startOn("outage-it", broker.bootstrapServers())) {
            String apiKey = stack.createProject("outage", null).get("apiKey").asText();
            URI tokens = URI.create(stack.url(stack.gateway(), "/v3/submission/tokens"));
            Ledger ledger = new Ledger();
            try (PoolLoad load = new PoolLoad(tokens, apiKey, ledger, 8)) {
                Thread.sleep(2_000);
                broker.close();
                // In-flight sends time out (504, may be applied); then the gateway refuses at once (503).
                Deadline.await(
                        Duration.ofSeconds(30), () -> ledger.notApplied.get() >= 20, () -> "503s while Kafka is away");
            }
            assertThat(stack.gateway().isReady())
                    .as("not ready while Kafka is away")
                    .isFalse();

            broker = EmbeddedKafka.start(brokerDir, port, controllerPort);
            Deadline.await(Duration.ofSeconds(120), stack.gateway()::isReady, () -> "ready again once Kafka is back");
            PoolCheck.Result check = PoolCheck.run(tokens, apiKey, ledger);

            System.out.printf(
                    "outage: %d requests, %d acknowledged, %d answered 503; pool %d tokens%n",
                    ledger.requests.get(), ledger.acknowledged.get(), ledger.notApplied.get(), check.present());
            assertThat(check.lost()).as("acknowledged writes lost").isEmpty();
            assertThat(check.resurrected())
                    .as("tokens whose 503 said nothing was applied, applied after all")
                    .isEmpty();
            assertThat(check.phantoms()).isZero();
            assertThat(ledger.lostOnDelete).isEmpty();
        } finally {
            broker.close();
        }
    }
}
