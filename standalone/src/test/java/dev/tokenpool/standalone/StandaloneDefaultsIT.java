package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The standalone as a newcomer starts it, with no setting at all: it listens on loopback only, no well-known
 * admin key works, the admin key it made and the other secrets it keeps are its owner's alone; and a demo
 * project that lost its API key in the registry (a record any registry writer can make) does not stop it.
 */
class StandaloneDefaultsIT {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldBeSafeByDefault() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-defaults").resolve("data");
        try (StandaloneProcess standalone = new StandaloneProcess(dataDir, Map.of("TOKENPOOL_ADMIN_KEY", ""))) {
            standalone.start();

            assertThatThrownBy(() ->
                            new Socket().connect(new InetSocketAddress("127.0.0.2", standalone.httpPort()), 2_000))
                    .as("another address of this machine does not reach it")
                    .isInstanceOf(ConnectException.class);

            for (String secret : List.of("admin-key", "demo-api-key", "master-key")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(secret))))
                        .as(secret)
                        .isEqualTo("rw-------");
            }
            String adminKey = Files.readString(dataDir.resolve("admin-key")).strip();
            assertThat(adminKey).startsWith("tpa_").hasSizeGreaterThan(40);
            assertThat(Files.readString(standalone.log())).as("shown at start").contains(adminKey);
            for (String wellKnown : List.of("dev-admin-key", "", "admin", StandaloneProcess.ADMIN_KEY)) {
                assertThat(admin(standalone, wellKnown).statusCode())
                        .as("'%s'", wellKnown)
                        .isEqualTo(401);
            }
            assertThat(admin(standalone, adminKey).statusCode()).isEqualTo(200);

            // A demo record without an API key, as a project reached over Kafka only has: the next start issues one.
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", standalone.kafkaBootstrap()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                "tokenpool.projects",
                                "demo",
                                TokenPoolSerdes.project()
                                        .serializer()
                                        .serialize("", ProjectRecord.of("demo", "Demo project", 100_000))))
                        .get();
            }
            assertThat(standalone.stop()).isIn(0, 143);
            standalone.start();
            String demoKey = standalone.demoApiKey();
            HttpResponse<String> added = http.send(
                    HttpRequest.newBuilder(standalone.url("/v3/submission/tokens"))
                            .header("x-api-key", demoKey)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"user001a\"]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            assertThat(admin(standalone, adminKey).statusCode())
                    .as("the same admin key after a restart")
                    .isEqualTo(200);
        }
    }

    @Test
    void shouldListenBeyondLoopbackOnlyWhenTold() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-host").resolve("data");
        try (StandaloneProcess standalone = new StandaloneProcess(dataDir, Map.of("TOKENPOOL_HTTP_HOST", "0.0.0.0"))) {
            standalone.start();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", standalone.httpPort()), 2_000);
                socket.getOutputStream()
                        .write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 200");
            }
        }
    }

    HttpResponse<String> admin(StandaloneProcess standalone, String key) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standalone.httpPort() + "/admin/projects"));
        if (!key.isEmpty()) {
            request.header("x-admin-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
