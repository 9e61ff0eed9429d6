package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenpool.gateway.MasterKeys;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.TransmissionCipher.Mode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * No API key, secret key, master key or AES key appears in clear in the registry topic, the logs or
 * the metrics, and nothing the registry holds decrypts a project's traffic.
 */
@ExtendWith(KafkaBroker.class)
class SecretsStayHiddenIT {
    static TokenPoolStack stack;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        stack = TokenPoolStack.start("secrets-it");
    }

    @AfterAll
    static void stop() {
        stack.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    record Seen(Mode mode, String plaintext, String ciphertext) {}

    @Test
    void shouldKeepEverySecretOutOfTheRegistryTheLogsAndTheMetrics() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(stack.env.get(MasterKeys.VARIABLE), TokenPoolStack.ADMIN_KEY));
        List<Seen> traffic = new ArrayList<>();
        for (String[] setting :
                new String[][] {{"ecb", "apiKey"}, {"gcm", "apiKey"}, {"ecb", "secretKey"}, {"gcm", "secretKey"}}) {
            Mode mode = Mode.fromWire(setting[0]).orElseThrow();
            var created = stack.call(
                            stack.gateway(),
                            "POST",
                            "/admin/projects",
                            "{\"name\":\"hidden\",\"secureTransmission\":" + "{\"enabled\":true,\"mode\":\""
                                    + setting[0] + "\",\"key\":\"" + setting[1] + "\"}}",
                            "x-admin-key",
                            TokenPoolStack.ADMIN_KEY)
                    .json();
            String apiKey = created.path("apiKey").asText();
            String id = created.path("projectId").asText();
            stack.awaitApiKey(stack.gateway(), apiKey);
            // A rotated key and a re-issued secret must not leak either.
            apiKey = stack.rotateApiKey(id);
            String secret = apiKey;
            if (setting[1].equals("secretKey")) {
                secrets.add(created.path("secretKey").asText());
                secret = stack.call(
                                stack.gateway(),
                                "POST",
                                "/admin/projects/" + id + "/secret-key",
                                null,
                                "x-admin-key",
                                TokenPoolStack.ADMIN_KEY)
                        .json()
                        .path("secretKey")
                        .asText();
            }
            secrets.add(apiKey);
            secrets.add(secret);
            stack.awaitApiKey(stack.gateway(), apiKey);
            TransmissionCipher cipher = TransmissionCipher.forSecret(mode, secret);
            String plaintext = "{\"tokenId\":[\"hidden-0001\",\"hidden-0002\"]}";
            String ciphertext = cipher.encrypt(plaintext);
            var answer = stack.tokens(stack.gateway(), "POST", apiKey, ciphertext);
            assertThat(cipher.decrypt(answer.json().path("data").asText())).contains("\"success\":true");
            traffic.add(new Seen(mode, plaintext, ciphertext));
            stack.tokens(stack.gateway(), "POST", apiKey, "not encrypted"); // a refused request, logged or not
        }
        List<String> forbidden = new ArrayList<>(secrets);
        for (String secret : secrets) {
            byte[] aesKey = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            forbidden.add(HexFormat.of().formatHex(aesKey));
            forbidden.add(Base64.getEncoder().encodeToString(aesKey));
        }

        List<ConsumerRecord<String, byte[]>> registry = TopicReader.readAll(stack.name + ".projects", 8);
        String registryText = registry.stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n"));
        String logText =
                logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        String metricsText =
                stack.call(stack.gateway(), "GET", "/metrics", null).text();
        assertThat(logText).as("the test saw the gateway's logs").contains("saved project");
        assertThat(metricsText).contains("tokenpool");
        for (String secret : forbidden) {
            assertThat(registryText).as("registry topic").doesNotContain(secret);
            assertThat(logText).as("logs").doesNotContain(secret);
            assertThat(metricsText).as("metrics").doesNotContain(secret);
        }

        // Whatever the registry holds, taken as a key or hashed into one, decrypts none of the traffic.
        List<byte[]> candidates = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : registry) {
            collectCandidates(Json.parse(record.value()), candidates);
        }
        assertThat(candidates).hasSizeGreaterThan(20);
        for (Seen seen : traffic) {
            for (byte[] candidate : candidates) {
                String decrypted;
                try {
                    decrypted =
                            TransmissionCipher.withKey(seen.mode(), candidate).decrypt(seen.ciphertext());
                } catch (TransmissionCipher.DecryptionFailed refused) {
                    continue;
                }
                assertThat(decrypted)
                        .as("a registry value decrypted the traffic")
                        .isNotEqualTo(seen.plaintext());
            }
        }
    }

    /** Every text of the record as 32 key bytes: raw, hex, base64 (also after a "prefix:"), and its SHA-256. */
    private static void collectCandidates(JsonNode node, List<byte[]> candidates) throws Exception {
        if (node.isTextual()) {
            String text = node.textValue();
            List<String> forms = new ArrayList<>(List.of(text));
            if (text.contains(":")) {
                forms.add(text.substring(text.lastIndexOf(':') + 1));
            }
            for (String form : forms) {
                candidates.add(MessageDigest.getInstance("SHA-256").digest(form.getBytes(StandardCharsets.UTF_8)));
                addIf32(form.getBytes(StandardCharsets.UTF_8), candidates);
                try {
                    addIf32(HexFormat.of().parseHex(form), candidates);
                } catch (IllegalArgumentException notHex) {
                    // not every value is hex
                }
                try {
                    addIf32(Base64.getDecoder().decode(form), candidates);
                } catch (IllegalArgumentException notBase64) {
                    // nor base64
                }
            }
        }
        for (JsonNode child : node) {
            collectCandidates(child, candidates);
        }
    }

    private static void addIf32(byte[] bytes, List<byte[]> candidates) {
        if (bytes.length == 32) {
            candidates.add(bytes);
        }
    }
}
