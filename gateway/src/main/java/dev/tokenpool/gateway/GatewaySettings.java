package dev.tokenpool.gateway;

import static dev.tokenpool.runtime.Settings.ADMIN_KEY;
import static dev.tokenpool.runtime.Settings.BODY_BUDGET_BYTES;
import static dev.tokenpool.runtime.Settings.COMMANDS_TOPIC;
import static dev.tokenpool.runtime.Settings.DEFAULT_POOL_LIMIT;
import static dev.tokenpool.runtime.Settings.DEFAULT_REQUESTS_PER_DAY;
import static dev.tokenpool.runtime.Settings.DEFAULT_REQUESTS_PER_SECOND;
import static dev.tokenpool.runtime.Settings.DELETED_DATA_RETENTION;
import static dev.tokenpool.runtime.Settings.GATEWAY_ID;
import static dev.tokenpool.runtime.Settings.GATEWAY_REPLY_TOPIC_PREFIX;
import static dev.tokenpool.runtime.Settings.HTTP_HEAD_TIMEOUT;
import static dev.tokenpool.runtime.Settings.HTTP_HOST;
import static dev.tokenpool.runtime.Settings.HTTP_IDLE_TIMEOUT;
import static dev.tokenpool.runtime.Settings.HTTP_PORT;
import static dev.tokenpool.runtime.Settings.HTTP_READ_TIMEOUT;
import static dev.tokenpool.runtime.Settings.MAX_BODY_BYTES;
import static dev.tokenpool.runtime.Settings.MAX_CONNECTIONS;
import static dev.tokenpool.runtime.Settings.MAX_CONNECTIONS_PER_ADDRESS;
import static dev.tokenpool.runtime.Settings.MAX_IN_FLIGHT;
import static dev.tokenpool.runtime.Settings.PROCESSOR_URLS;
import static dev.tokenpool.runtime.Settings.PROJECTS_TOPIC;
import static dev.tokenpool.runtime.Settings.REPLY_TOPIC_PREFIX;
import static dev.tokenpool.runtime.Settings.REQUEST_TIMEOUT;
import static dev.tokenpool.runtime.Settings.ROUTED_READS;

import dev.tokenpool.runtime.Env;
import dev.tokenpool.runtime.InternalKey;
import dev.tokenpool.runtime.KafkaConnection;
import dev.tokenpool.runtime.Settings;
import dev.tokenpool.schemas.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the gateway runs, read from the environment through {@link dev.tokenpool.runtime.Settings}, where each
 * setting's default, bounds and meaning are.
 */
public record GatewaySettings(
        KafkaConnection kafka,
        Http http,
        String adminKey,
        String gatewayId,
        Duration requestTimeout,
        int maxInFlight,
        long defaultPoolLimit,
        RateLimit defaultRateLimit,
        String commandsTopic,
        String projectsTopic,
        String replyTopicPrefix,
        String gatewayReplyTopicPrefix,
        Duration deletedDataRetention,
        MasterKeys masterKeys,
        Routing routing,
        Webhooks webhooks) {

    /**
     * Webhook delivery: whether this gateway takes part, the events it reads, its group and topics, the retry
     * schedule, the timeout of one attempt, and which destinations it may reach.
     */
    public record Webhooks(
            boolean enabled,
            String eventsTopic,
            String group,
            String topicPrefix,
            RetrySchedule schedule,
            Duration timeout,
            boolean allowHttp,
            boolean allowPrivate) {
        static Webhooks from(Env env) {
            return new Webhooks(
                    Settings.WEBHOOKS.from(env),
                    Settings.EVENTS_TOPIC.from(env),
                    Settings.WEBHOOK_GROUP.from(env),
                    Settings.WEBHOOK_TOPIC_PREFIX.from(env),
                    RetrySchedule.parse(Settings.WEBHOOK_RETRY_SCHEDULE.from(env)),
                    Settings.WEBHOOK_TIMEOUT.from(env),
                    Settings.WEBHOOK_ALLOW_HTTP.from(env),
                    Settings.WEBHOOK_ALLOW_PRIVATE.from(env));
        }

        String deadLetterTopic() {
            return topicPrefix + "dead-letters";
        }

        /** The compacted topic of each project's delivery status (failing or not), read by every gateway. */
        String statusTopic() {
            return topicPrefix + "status";
        }

        WebhookDestinations destinations() {
            return new WebhookDestinations(allowHttp, allowPrivate);
        }
    }

    /**
     * Where reads may go besides Kafka: the processors to ask which of them holds each partition, and the secret
     * they want to see. Reads are routed only when {@link #active()}.
     */
    public record Routing(List<URI> processors, Optional<InternalKey> internalKey, boolean enabled) {
        public Routing {
            processors = List.copyOf(processors);
        }

        boolean active() {
            return enabled && !processors.isEmpty() && internalKey.isPresent();
        }

        static Routing from(Env env) {
            String urls = PROCESSOR_URLS.from(env);
            List<URI> processors = new ArrayList<>();
            if (urls != null) {
                for (String url : urls.split(",")) {
                    if (url.isBlank()) {
                        continue;
                    }
                    try {
                        URI uri = new URI(url.strip());
                        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                            throw new URISyntaxException(url, "not an http://host:port URL");
                        }
                        processors.add(uri);
                    } catch (URISyntaxException e) {
                        throw new Env.BadSetting(PROCESSOR_URLS.name(), urls, "http://host:port URLs, comma-separated");
                    }
                }
            }
            return new Routing(processors, InternalKey.from(env), ROUTED_READS.from(env));
        }
    }

    /** The HTTP server: where it listens and what it holds of its clients. */
    public record Http(
            String host,
            int port,
            Duration headTimeout,
            Duration readTimeout,
            Duration idleTimeout,
            int maxConnections,
            int maxConnectionsPerAddress,
            int maxBodyBytes,
            long bodyBudgetBytes) {

        /** The body budget one remote address may hold: its share of the connections, of the budget. */
        long bodyBudgetPerAddress() {
            return Math.max(maxBodyBytes, (long)
                    (bodyBudgetBytes * Math.min(1.0, (double) maxConnectionsPerAddress / maxConnections)));
        }
    }

    public static GatewaySettings from(Env env) {
        String gatewayId = GATEWAY_ID.from(env);
        Long perSecond = DEFAULT_REQUESTS_PER_SECOND.from(env);
        return new GatewaySettings(
                KafkaConnection.from(env),
                new Http(
                        HTTP_HOST.from(env),
                        HTTP_PORT.from(env),
                        HTTP_HEAD_TIMEOUT.from(env),
                        HTTP_READ_TIMEOUT.from(env),
                        HTTP_IDLE_TIMEOUT.from(env),
                        MAX_CONNECTIONS.from(env),
                        MAX_CONNECTIONS_PER_ADDRESS.from(env),
                        MAX_BODY_BYTES.from(env),
                        BODY_BUDGET_BYTES.from(env)),
                ADMIN_KEY.from(env),
                gatewayId == null ? randomGatewayId() : gatewayId,
                REQUEST_TIMEOUT.from(env),
                MAX_IN_FLIGHT.from(env),
                DEFAULT_POOL_LIMIT.from(env),
                RateLimit.orNone(perSecond == null ? null : perSecond.intValue(), DEFAULT_REQUESTS_PER_DAY.from(env)),
                COMMANDS_TOPIC.from(env),
                PROJECTS_TOPIC.from(env),
                REPLY_TOPIC_PREFIX.from(env),
                GATEWAY_REPLY_TOPIC_PREFIX.from(env),
                DELETED_DATA_RETENTION.from(env),
                MasterKeys.from(env),
                Routing.from(env),
                Webhooks.from(env));
    }

    public static GatewaySettings fromEnv(Map<String, String> variables) {
        return from(new Env(variables));
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

    /** Without the admin key: settings may be logged, secrets may not. */
    @Override
    public String toString() {
        return "GatewaySettings[kafka=" + kafka + ", http=" + http + ", gatewayId=" + gatewayId + ", adminApi="
                + (adminKey == null || adminKey.isEmpty() ? "off" : "on") + ", masterKeys=" + masterKeys + "]";
    }

    static String randomGatewayId() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "gw-" + HexFormat.of().formatHex(bytes);
    }
}
