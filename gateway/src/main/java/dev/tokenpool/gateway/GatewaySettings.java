package dev.tokenpool.gateway;

import dev.tokenpool.runtime.DeletedDataBound;
import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.Topics;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the gateway runs, from environment variables (defaults in brackets):
 * TOKENPOOL_BOOTSTRAP_SERVERS [localhost:9092], TOKENPOOL_HTTP_PORT [8080], TOKENPOOL_ADMIN_KEY [none:
 * admin API off], TOKENPOOL_GATEWAY_ID [random], TOKENPOOL_REQUEST_TIMEOUT_MS [10000],
 * TOKENPOOL_MAX_IN_FLIGHT [1000], TOKENPOOL_MAX_BODY_BYTES [131072], TOKENPOOL_MAX_CONNECTIONS [10000],
 * TOKENPOOL_HTTP_IDLE_TIMEOUT_MS [30000], TOKENPOOL_HTTP_READ_TIMEOUT_MS [10000],
 * TOKENPOOL_DEFAULT_POOL_LIMIT [100000: the pool limit of a project created without one],
 * TOKENPOOL_COMMANDS_TOPIC, TOKENPOOL_PROJECTS_TOPIC, TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX,
 * TOKENPOOL_REPLY_TOPIC_PREFIX (where a gateway's reply topic was before it had a prefix of its own),
 * TOKENPOOL_DELETED_DATA_RETENTION_MS, TOKENPOOL_KAFKA_PROPERTIES,
 * TOKENPOOL_MASTER_KEY [none: projects cannot use a secret key] (see {@link MasterKeys}),
 * TOKENPOOL_HTTP_HOST [0.0.0.0], TOKENPOOL_HTTP_HEAD_TIMEOUT_MS [5000], TOKENPOOL_MAX_CONNECTIONS_PER_ADDRESS [1000],
 * TOKENPOOL_BODY_BUDGET_BYTES [64 MiB], TOKENPOOL_DEFAULT_REQUESTS_PER_SECOND and _PER_DAY [none: unlimited].
 *
 * @param readTimeout how long a client may take to send a request's body once its head is in
 * @param idleTimeout how long a connection may stay open with nothing sent either way (this also
 *                    closes a connection that stops half-way through a request head)
 */
public record GatewaySettings(KafkaConnection kafka, int httpPort, String adminKey, String gatewayId,
                              Duration requestTimeout, int maxInFlight, int maxBodyBytes, int maxConnections,
                              Duration idleTimeout, Duration readTimeout, long defaultPoolLimit,
                              String commandsTopic, String projectsTopic, String replyTopicPrefix,
                              String gatewayReplyTopicPrefix, Duration deletedDataRetention, MasterKeys masterKeys,
                              String httpHost, Duration headTimeout, int maxConnectionsPerAddress, long bodyBudgetBytes,
                              RateLimit defaultRateLimit) {

    public static GatewaySettings fromEnv(Map<String, String> variables) {
        Env env = new Env(variables);
        return new GatewaySettings(
                KafkaConnection.from(env),
                env.integer("TOKENPOOL_HTTP_PORT", 8080, 0, 65_535),
                env.textOrNull("TOKENPOOL_ADMIN_KEY"),
                env.text("TOKENPOOL_GATEWAY_ID", randomGatewayId()),
                env.millis("TOKENPOOL_REQUEST_TIMEOUT_MS", 10_000, 1, Integer.MAX_VALUE),
                env.integer("TOKENPOOL_MAX_IN_FLIGHT", 1_000, 1, Integer.MAX_VALUE),
                env.integer("TOKENPOOL_MAX_BODY_BYTES", 131_072, 1_024, Integer.MAX_VALUE),
                env.integer("TOKENPOOL_MAX_CONNECTIONS", 10_000, 1, Integer.MAX_VALUE),
                env.millis("TOKENPOOL_HTTP_IDLE_TIMEOUT_MS", 30_000, 1_000, Integer.MAX_VALUE),
                env.millis("TOKENPOOL_HTTP_READ_TIMEOUT_MS", 10_000, 100, Integer.MAX_VALUE),
                env.number("TOKENPOOL_DEFAULT_POOL_LIMIT", PoolLimits.DEFAULT_POOL_LIMIT, 1, AdminApi.MAX_POOL_LIMIT),
                env.text("TOKENPOOL_COMMANDS_TOPIC", Topics.COMMANDS),
                env.text("TOKENPOOL_PROJECTS_TOPIC", Topics.PROJECTS),
                env.text("TOKENPOOL_REPLY_TOPIC_PREFIX", Topics.REPLIES_PREFIX),
                env.text("TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX", Topics.GATEWAY_REPLIES_PREFIX),
                DeletedDataBound.from(env),
                MasterKeys.fromEnv(variables),
                env.text("TOKENPOOL_HTTP_HOST", ALL_INTERFACES),
                env.millis("TOKENPOOL_HTTP_HEAD_TIMEOUT_MS", 5_000, 100, Integer.MAX_VALUE),
                env.integer("TOKENPOOL_MAX_CONNECTIONS_PER_ADDRESS", 1_000, 1, Integer.MAX_VALUE),
                env.number("TOKENPOOL_BODY_BUDGET_BYTES", 64L << 20, 1 << 20, Long.MAX_VALUE),
                RateLimit.orNone(
                        env.textOrNull("TOKENPOOL_DEFAULT_REQUESTS_PER_SECOND") == null ? null
                                : env.integer("TOKENPOOL_DEFAULT_REQUESTS_PER_SECOND", 1, 1, RateLimit.MAX_PER_SECOND),
                        env.textOrNull("TOKENPOOL_DEFAULT_REQUESTS_PER_DAY") == null ? null
                                : env.number("TOKENPOOL_DEFAULT_REQUESTS_PER_DAY", 1, 1, RateLimit.MAX_PER_DAY)));
    }

    /** The separate gateway runs behind a load balancer: it listens on every interface unless told otherwise. */
    static final String ALL_INTERFACES = "0.0.0.0";

    /** The body budget one remote address may hold: its share of the connections, of the budget. */
    long bodyBudgetPerAddress() {
        return Math.max(maxBodyBytes, (long) (bodyBudgetBytes * Math.min(1.0, (double) maxConnectionsPerAddress / maxConnections)));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** This instance's own reply topic: only it reads from there. */
    public String replyTopic() {
        return gatewayReplyTopicPrefix + gatewayId;
    }

    /**
     * Where this instance's results went before gateways had a reply prefix of their own: it still reads there
     * while the topic exists, so results that processors of the earlier version send there reach it.
     */
    public String legacyReplyTopic() {
        return replyTopicPrefix + gatewayId;
    }

    public GatewaySettings with(String bootstrap, int port, String admin, String id) {
        return new GatewaySettings(kafka.at(bootstrap), port, admin, id, requestTimeout, maxInFlight, maxBodyBytes,
                maxConnections, idleTimeout, readTimeout, defaultPoolLimit, commandsTopic, projectsTopic, replyTopicPrefix,
                gatewayReplyTopicPrefix, deletedDataRetention, masterKeys, httpHost, headTimeout,
                maxConnectionsPerAddress, bodyBudgetBytes, defaultRateLimit);
    }

    public GatewaySettings withRequestTimeout(Duration timeout) {
        return new GatewaySettings(kafka, httpPort, adminKey, gatewayId, timeout, maxInFlight, maxBodyBytes,
                maxConnections, idleTimeout, readTimeout, defaultPoolLimit, commandsTopic, projectsTopic, replyTopicPrefix,
                gatewayReplyTopicPrefix, deletedDataRetention, masterKeys, httpHost, headTimeout,
                maxConnectionsPerAddress, bodyBudgetBytes, defaultRateLimit);
    }

    public GatewaySettings withMaxInFlight(int max) {
        return new GatewaySettings(kafka, httpPort, adminKey, gatewayId, requestTimeout, max, maxBodyBytes,
                maxConnections, idleTimeout, readTimeout, defaultPoolLimit, commandsTopic, projectsTopic, replyTopicPrefix,
                gatewayReplyTopicPrefix, deletedDataRetention, masterKeys, httpHost, headTimeout,
                maxConnectionsPerAddress, bodyBudgetBytes, defaultRateLimit);
    }

    /** The same settings listening on {@code host} (the standalone's default: loopback only). */
    public GatewaySettings withHttpHost(String host) {
        return new GatewaySettings(kafka, httpPort, adminKey, gatewayId, requestTimeout, maxInFlight, maxBodyBytes,
                maxConnections, idleTimeout, readTimeout, defaultPoolLimit, commandsTopic, projectsTopic, replyTopicPrefix,
                gatewayReplyTopicPrefix, deletedDataRetention, masterKeys, host, headTimeout,
                maxConnectionsPerAddress, bodyBudgetBytes, defaultRateLimit);
    }

    public GatewaySettings withMasterKeys(MasterKeys keys) {
        return new GatewaySettings(kafka, httpPort, adminKey, gatewayId, requestTimeout, maxInFlight, maxBodyBytes,
                maxConnections, idleTimeout, readTimeout, defaultPoolLimit, commandsTopic, projectsTopic, replyTopicPrefix,
                gatewayReplyTopicPrefix, deletedDataRetention, keys, httpHost, headTimeout,
                maxConnectionsPerAddress, bodyBudgetBytes, defaultRateLimit);
    }

    /** Without the admin key: settings may be logged, secrets may not. */
    @Override
    public String toString() {
        return "GatewaySettings[kafka=" + kafka + ", httpPort=" + httpPort + ", gatewayId=" + gatewayId
                + ", adminApi=" + (adminKey == null || adminKey.isEmpty() ? "off" : "on") + ", masterKeys=" + masterKeys + "]";
    }

    static String randomGatewayId() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "gw-" + HexFormat.of().formatHex(bytes);
    }
}
