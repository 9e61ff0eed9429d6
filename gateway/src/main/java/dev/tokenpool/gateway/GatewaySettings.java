package dev.tokenpool.gateway;

import dev.tokenpool.schemas.Topics;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the gateway runs, from environment variables (defaults in brackets):
 * TOKENPOOL_BOOTSTRAP_SERVERS [localhost:9092], TOKENPOOL_HTTP_PORT [8080], TOKENPOOL_ADMIN_KEY [none:
 * admin API off], TOKENPOOL_GATEWAY_ID [random], TOKENPOOL_REQUEST_TIMEOUT_MS [10000],
 * TOKENPOOL_MAX_IN_FLIGHT [1000], TOKENPOOL_MAX_BODY_BYTES [131072], TOKENPOOL_COMMANDS_TOPIC,
 * TOKENPOOL_PROJECTS_TOPIC, TOKENPOOL_REPLY_TOPIC_PREFIX.
 */
public record GatewaySettings(String bootstrapServers, int httpPort, String adminKey, String gatewayId,
                              Duration requestTimeout, int maxInFlight, int maxBodyBytes,
                              String commandsTopic, String projectsTopic, String replyTopicPrefix) {

    public static GatewaySettings fromEnv(Map<String, String> env) {
        return new GatewaySettings(
                env.getOrDefault("TOKENPOOL_BOOTSTRAP_SERVERS", "localhost:9092"),
                Integer.parseInt(env.getOrDefault("TOKENPOOL_HTTP_PORT", "8080")),
                env.get("TOKENPOOL_ADMIN_KEY"),
                env.getOrDefault("TOKENPOOL_GATEWAY_ID", randomGatewayId()),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("TOKENPOOL_REQUEST_TIMEOUT_MS", "10000"))),
                Integer.parseInt(env.getOrDefault("TOKENPOOL_MAX_IN_FLIGHT", "1000")),
                Integer.parseInt(env.getOrDefault("TOKENPOOL_MAX_BODY_BYTES", "131072")),
                env.getOrDefault("TOKENPOOL_COMMANDS_TOPIC", Topics.COMMANDS),
                env.getOrDefault("TOKENPOOL_PROJECTS_TOPIC", Topics.PROJECTS),
                env.getOrDefault("TOKENPOOL_REPLY_TOPIC_PREFIX", Topics.REPLIES_PREFIX));
    }

    /** This instance's own reply topic: only it reads from there. */
    public String replyTopic() {
        return replyTopicPrefix + gatewayId;
    }

    public GatewaySettings with(String bootstrap, int port, String admin, String id) {
        return new GatewaySettings(bootstrap, port, admin, id, requestTimeout, maxInFlight, maxBodyBytes,
                commandsTopic, projectsTopic, replyTopicPrefix);
    }

    public GatewaySettings withRequestTimeout(Duration timeout) {
        return new GatewaySettings(bootstrapServers, httpPort, adminKey, gatewayId, timeout, maxInFlight, maxBodyBytes,
                commandsTopic, projectsTopic, replyTopicPrefix);
    }

    public GatewaySettings withMaxInFlight(int max) {
        return new GatewaySettings(bootstrapServers, httpPort, adminKey, gatewayId, requestTimeout, max, maxBodyBytes,
                commandsTopic, projectsTopic, replyTopicPrefix);
    }

    static String randomGatewayId() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "gw-" + HexFormat.of().formatHex(bytes);
    }
}
