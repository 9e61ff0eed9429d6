package dev.tokenpool.runtime;

import static dev.tokenpool.runtime.Setting.Part.GATEWAY;
import static dev.tokenpool.runtime.Setting.Part.LAUNCHER;
import static dev.tokenpool.runtime.Setting.Part.PROCESSOR;
import static dev.tokenpool.runtime.Setting.Part.STANDALONE;

import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every {@code TOKENPOOL_*} setting, each defined once ({@link Setting}): the gateway's, the processor's and the
 * standalone's settings classes read through these, and {@link #table()} is the configuration table of the docs
 * (a test keeps the two equal). A value that cannot be used stops the process at start with one line naming
 * the variable.
 */
public final class Settings {
    private Settings() {}

    // Kafka and topics: every part.
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text(
            "TOKENPOOL_BOOTSTRAP_SERVERS",
            "localhost:9092",
            "the Kafka cluster (the standalone runs a broker of its own when unset)",
            GATEWAY,
            PROCESSOR,
            STANDALONE);
    public static final Setting<String> KAFKA_PROPERTIES = Setting.optional(
            "TOKENPOOL_KAFKA_PROPERTIES",
            "none",
            "a file of Kafka client properties (`security.protocol`, `sasl.*`, `ssl.*`) for every Kafka client",
            GATEWAY,
            PROCESSOR,
            STANDALONE);
    public static final Setting<String> COMMANDS_TOPIC = Setting.text(
            "TOKENPOOL_COMMANDS_TOPIC",
            Topics.COMMANDS,
            "commands, keyed by project ID",
            GATEWAY,
            PROCESSOR,
            STANDALONE);
    public static final Setting<String> DEAD_LETTER_TOPIC = Setting.text(
            "TOKENPOOL_DEAD_LETTER_TOPIC",
            Topics.DEAD_LETTERS,
            "records that could not be answered, with the reason in a header",
            PROCESSOR);
    public static final Setting<String> PROJECTS_TOPIC = Setting.text(
            "TOKENPOOL_PROJECTS_TOPIC", Topics.PROJECTS, "the compacted project registry", GATEWAY, PROCESSOR);
    public static final Setting<String> EVENTS_TOPIC = Setting.text(
            "TOKENPOOL_EVENTS_TOPIC",
            Topics.EVENTS,
            "token lifecycle events (`token_expired`, `token_reuse_attempted`), delivered to webhooks from there",
            GATEWAY,
            PROCESSOR);
    public static final Setting<String> AUDIT_TOPIC = Setting.text(
            "TOKENPOOL_AUDIT_TOPIC", Topics.AUDIT, "one audit record per mutation, never a token ID", PROCESSOR);
    public static final Setting<String> REPLY_TOPIC_PREFIX = Setting.text(
            "TOKENPOOL_REPLY_TOPIC_PREFIX",
            Topics.REPLIES_PREFIX,
            "applications' reply topics (a gateway also reads `<prefix><gateway ID>`, its topic before gateways had a prefix of their own)",
            GATEWAY,
            PROCESSOR);
    public static final Setting<String> GATEWAY_REPLY_TOPIC_PREFIX = Setting.text(
            "TOKENPOOL_GATEWAY_REPLY_TOPIC_PREFIX",
            Topics.GATEWAY_REPLIES_PREFIX,
            "the gateways' reply topics: `<prefix><gateway ID>`",
            GATEWAY,
            PROCESSOR);
    public static final Setting<String> REPLY_TOPIC_ALLOW = Setting.optional(
            "TOKENPOOL_REPLY_TOPIC_ALLOW",
            "none",
            "a Java regular expression of further topics results may go to (never tokenpool's own, internal or changelog topics)",
            PROCESSOR);
    public static final Setting<Duration> DELETED_DATA_RETENTION = Setting.millis(
            "TOKENPOOL_DELETED_DATA_RETENTION_MS",
            DeletedDataBound.DEFAULT.toMillis(),
            1_000,
            Long.MAX_VALUE,
            "how long a deleted token ID may remain in topics and state ([token lifecycle](token-lifecycle.md))",
            GATEWAY,
            PROCESSOR,
            STANDALONE);

    // The gateway.
    public static final Setting<Integer> HTTP_PORT =
            Setting.integer("TOKENPOOL_HTTP_PORT", 8080, 0, 65_535, "the HTTP port", GATEWAY);
    public static final Setting<String> HTTP_HOST = Setting.text(
                    "TOKENPOOL_HTTP_HOST", "0.0.0.0", "the address the HTTP server listens on", GATEWAY)
            .inTheStandalone("127.0.0.1");
    public static final Setting<String> ADMIN_KEY = Setting.optional(
            "TOKENPOOL_ADMIN_KEY",
            "none: the admin API is off (standalone: one generated in `tokenpool-data/admin-key`)",
            "the `x-admin-key` of the admin API",
            GATEWAY);
    public static final Setting<String> GATEWAY_ID = Setting.custom(
                    "TOKENPOOL_GATEWAY_ID",
                    "random `gw-…`",
                    "names this gateway's reply topic: give each gateway a stable one",
                    env -> env.textOrNull("TOKENPOOL_GATEWAY_ID"),
                    GATEWAY)
            .inTheStandalone("standalone");
    public static final Setting<String> MASTER_KEY = Setting.optional(
            "TOKENPOOL_MASTER_KEY",
            "none: no secret keys (standalone: one generated in `tokenpool-data/master-key`)",
            "base64 of 32 bytes sealing projects' secret keys, the same on every gateway; several, comma-separated, while rotating",
            GATEWAY);
    public static final Setting<Long> DEFAULT_POOL_LIMIT = Setting.number(
            "TOKENPOOL_DEFAULT_POOL_LIMIT",
            PoolLimits.DEFAULT_POOL_LIMIT,
            1,
            PoolLimits.MAX_POOL_LIMIT,
            "the pool limit of a project created without one",
            GATEWAY);
    public static final Setting<Long> DEFAULT_REQUESTS_PER_SECOND = Setting.optionalNumber(
            "TOKENPOOL_DEFAULT_REQUESTS_PER_SECOND",
            1,
            RateLimit.MAX_PER_SECOND,
            "none: unlimited",
            "the requests per second of a project created without a `rateLimit`",
            GATEWAY);
    public static final Setting<Long> DEFAULT_REQUESTS_PER_DAY = Setting.optionalNumber(
            "TOKENPOOL_DEFAULT_REQUESTS_PER_DAY",
            1,
            RateLimit.MAX_PER_DAY,
            "none: unlimited",
            "the daily quota of a project created without a `rateLimit`",
            GATEWAY);
    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.millis(
            "TOKENPOOL_REQUEST_TIMEOUT_MS",
            10_000,
            1,
            Integer.MAX_VALUE,
            "how long a request waits for its result before 504",
            GATEWAY);
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer(
            "TOKENPOOL_MAX_IN_FLIGHT",
            1_000,
            1,
            Integer.MAX_VALUE,
            "commands waiting for their result at once; past it 503",
            GATEWAY);
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer(
            "TOKENPOOL_MAX_BODY_BYTES",
            131_072,
            1_024,
            Integer.MAX_VALUE,
            "the largest request body; past it 413",
            GATEWAY);
    public static final Setting<Long> BODY_BUDGET_BYTES = Setting.number(
            "TOKENPOOL_BODY_BUDGET_BYTES",
            64L << 20,
            1L << 20,
            Long.MAX_VALUE,
            "request bodies being read, all connections together; past it 503 (an address its share)",
            GATEWAY);
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer(
            "TOKENPOOL_MAX_CONNECTIONS", 10_000, 1, Integer.MAX_VALUE, "open connections at most", GATEWAY);
    public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = Setting.integer(
            "TOKENPOOL_MAX_CONNECTIONS_PER_ADDRESS",
            1_000,
            1,
            Integer.MAX_VALUE,
            "open connections of one remote address at most (behind a load balancer: the total)",
            GATEWAY);
    public static final Setting<Duration> HTTP_HEAD_TIMEOUT = Setting.millis(
            "TOKENPOOL_HTTP_HEAD_TIMEOUT_MS",
            5_000,
            100,
            Integer.MAX_VALUE,
            "a request head must arrive this soon after the accept or the previous answer",
            GATEWAY);
    public static final Setting<Duration> HTTP_READ_TIMEOUT = Setting.millis(
            "TOKENPOOL_HTTP_READ_TIMEOUT_MS",
            10_000,
            100,
            Integer.MAX_VALUE,
            "a request body must arrive this soon after its head",
            GATEWAY);
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.millis(
            "TOKENPOOL_HTTP_IDLE_TIMEOUT_MS",
            30_000,
            1_000,
            Integer.MAX_VALUE,
            "a connection with nothing sent either way this long is closed",
            GATEWAY);

    // The processor.
    public static final Setting<String> APPLICATION_ID = Setting.text(
            "TOKENPOOL_APPLICATION_ID",
            "tokenpool-processor",
            "the Kafka Streams application (consumer group, changelog and transaction prefixes)",
            PROCESSOR);
    public static final Setting<String> INSTANCE_ID = Setting.optional(
                    "TOKENPOOL_INSTANCE_ID",
                    "none: a dynamic group member (standalone: `standalone`)",
                    "a stable, unique ID per instance: a restart takes its partitions back at once",
                    PROCESSOR)
            .inTheStandalone("standalone");
    public static final Setting<String> STATE_DIR = Setting.custom(
            "TOKENPOOL_STATE_DIR",
            "`tokenpool-state` in the JVM's temporary directory (standalone: `tokenpool-data/state`)",
            "where the processor keeps its stores",
            env -> env.text(
                    "TOKENPOOL_STATE_DIR",
                    Path.of(System.getProperty("java.io.tmpdir"), "tokenpool-state")
                            .toString()),
            PROCESSOR);
    public static final Setting<String> PROCESSING_GUARANTEE = Setting.custom(
            "TOKENPOOL_PROCESSING_GUARANTEE",
            "`exactly_once_v2`, the only value accepted",
            "a pool command is not idempotent: nothing else is safe",
            env -> env.oneOf("TOKENPOOL_PROCESSING_GUARANTEE", "exactly_once_v2", java.util.Set.of("exactly_once_v2")),
            PROCESSOR);
    public static final Setting<Long> COMMIT_INTERVAL_MS = Setting.number(
            "TOKENPOOL_COMMIT_INTERVAL_MS",
            10,
            1,
            Integer.MAX_VALUE,
            "a commit once this long has passed since the last: bounds a reply's latency",
            PROCESSOR);
    public static final Setting<Long> POLL_MS = Setting.number(
            "TOKENPOOL_POLL_MS",
            10,
            1,
            Integer.MAX_VALUE,
            "the longest poll while processed commands wait for their commit (it ends when the commit is due)",
            PROCESSOR);
    public static final Setting<Long> SESSION_TIMEOUT_MS = Setting.number(
            "TOKENPOOL_SESSION_TIMEOUT_MS",
            45_000,
            1_000,
            Integer.MAX_VALUE,
            "how long the group waits before it gives a processor that stopped answering (a crash, a network cut) "
                    + "up and hands its partitions to the others; heartbeats go at a third of it",
            PROCESSOR);
    public static final Setting<String> GROUP_PROTOCOL = Setting.custom(
            "TOKENPOOL_GROUP_PROTOCOL",
            "`classic`",
            "`streams`: Kafka's streams rebalance protocol (KIP-1071), where the brokers assign the tasks and a dead "
                    + "instance's tasks move without stopping the others; its session timeout and standby count are "
                    + "then the brokers' `group.streams.*` settings ([operations](operations.md#replication-and-fail-over))",
            env -> env.oneOf("TOKENPOOL_GROUP_PROTOCOL", "classic", java.util.Set.of("classic", "streams")),
            PROCESSOR);
    public static final Setting<Long> TRANSACTION_TIMEOUT_MS = Setting.number(
            "TOKENPOOL_TRANSACTION_TIMEOUT_MS",
            10_000,
            1_000,
            900_000,
            "how long a processor's transaction may stay open; the transaction a crashed processor left open holds "
                    + "its partitions' readers until the broker aborts it this long after it began",
            PROCESSOR);
    public static final Setting<Integer> STANDBY_REPLICAS = Setting.integer(
            "TOKENPOOL_STANDBY_REPLICAS",
            0,
            0,
            10,
            "warm copies of each task's stores on other instances (use `1` with two or more)",
            PROCESSOR);
    public static final Setting<Integer> COMMAND_PARTITIONS = Setting.integer(
            "TOKENPOOL_COMMAND_PARTITIONS",
            6,
            1,
            10_000,
            "partitions of the commands topic when the processor creates it (fixed for good)",
            PROCESSOR);
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.custom(
            "TOKENPOOL_REPLICATION_FACTOR",
            "the broker's `default.replication.factor`",
            "replicas of the topics the processor creates (its own topics and its stores' changelogs); a topic "
                    + "with fewer replicas than the cluster allows is warned about at start",
            env -> env.textOrNull("TOKENPOOL_REPLICATION_FACTOR") == null
                    ? -1
                    : env.integer("TOKENPOOL_REPLICATION_FACTOR", 1, 1, Short.MAX_VALUE),
            PROCESSOR);
    public static final Setting<String> PROCESSOR_HTTP_HOST = Setting.text(
            "TOKENPOOL_PROCESSOR_HTTP_HOST",
            "0.0.0.0",
            "the address of the processor's health and metrics port",
            PROCESSOR);
    public static final Setting<Integer> PROCESSOR_HTTP_PORT = Setting.integer(
            "TOKENPOOL_PROCESSOR_HTTP_PORT",
            8081,
            0,
            65_535,
            "`/health/live`, `/health/ready`, `/metrics` of a processor run on its own, and its routed reads",
            PROCESSOR);
    public static final Setting<String> PROCESSOR_ADVERTISED_HOST = Setting.optional(
            "TOKENPOOL_PROCESSOR_ADVERTISED_HOST",
            "`TOKENPOOL_PROCESSOR_HTTP_HOST`, or this machine's name when that is `0.0.0.0`",
            "the host name gateways reach this processor's HTTP port at, for routed reads",
            PROCESSOR);
    public static final Setting<String> INTERNAL_KEY = Setting.optional(
            "TOKENPOOL_INTERNAL_KEY",
            "none: no read is routed",
            "a secret the gateways and processors of one deployment share: a processor answers routed reads "
                    + "(`/internal/v1/…`) only to a caller that shows it",
            GATEWAY,
            PROCESSOR);
    public static final Setting<String> PROCESSOR_URLS = Setting.optional(
            "TOKENPOOL_PROCESSOR_URLS",
            "none: no read is routed",
            "the processors' HTTP ports (`http://host:port`, comma-separated) a gateway asks where each partition's "
                    + "pools are",
            GATEWAY);
    public static final Setting<Boolean> ROUTED_READS = Setting.flag(
            "TOKENPOOL_ROUTED_READS",
            true,
            "with `TOKENPOOL_PROCESSOR_URLS` and `TOKENPOOL_INTERNAL_KEY`: lookups, lists and counts go over HTTP to "
                    + "the processor that holds the pool, not through Kafka",
            GATEWAY);
    public static final Setting<Boolean> WEBHOOKS = Setting.flag(
            "TOKENPOOL_WEBHOOKS",
            true,
            "this gateway delivers projects' token events to their webhooks (with every other gateway of the "
                    + "deployment, each taking a share)",
            GATEWAY);
    public static final Setting<String> WEBHOOK_GROUP = Setting.text(
            "TOKENPOOL_WEBHOOK_GROUP", "tokenpool-webhooks", "the consumer group of webhook delivery", GATEWAY);
    public static final Setting<String> WEBHOOK_TOPIC_PREFIX = Setting.text(
            "TOKENPOOL_WEBHOOK_TOPIC_PREFIX",
            Topics.WEBHOOKS_PREFIX,
            "webhook delivery's topics: events waiting for their next attempt (`retry-<wait>`, one topic a wait), "
                    + "those that ran out of attempts (`dead-letters`), each project's delivery status (`status`); "
                    + "never a reply topic",
            GATEWAY,
            PROCESSOR);
    public static final Setting<String> WEBHOOK_RETRY_SCHEDULE = Setting.text(
            "TOKENPOOL_WEBHOOK_RETRY_SCHEDULE",
            "5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h",
            "the waits before each retry of a failed delivery (`s`, `m`, `h`); after the last the event is "
                    + "dead-lettered",
            GATEWAY);
    public static final Setting<Duration> WEBHOOK_TIMEOUT = Setting.millis(
            "TOKENPOOL_WEBHOOK_TIMEOUT_MS",
            10_000,
            100,
            120_000,
            "how long a delivery may take to connect, and to be answered",
            GATEWAY);
    public static final Setting<Boolean> WEBHOOK_ALLOW_HTTP = Setting.flag(
            "TOKENPOOL_WEBHOOK_ALLOW_HTTP", false, "webhook URLs may be `http://`, not only `https://`", GATEWAY);
    public static final Setting<Boolean> WEBHOOK_ALLOW_PRIVATE = Setting.flag(
            "TOKENPOOL_WEBHOOK_ALLOW_PRIVATE",
            false,
            "webhooks may be delivered to loopback, private, link-local and other non-public addresses",
            GATEWAY);
    public static final Setting<Duration> VOLUME_DELETION_INTERVAL = Setting.millis(
            "TOKENPOOL_VOLUME_DELETION_INTERVAL_MS",
            300_000,
            100,
            Long.MAX_VALUE,
            "how often pools are checked against their volume deletion rule",
            PROCESSOR);
    public static final Setting<Integer> RULES_BUDGET = Setting.integer(
            "TOKENPOOL_RULES_BUDGET",
            10_000,
            1,
            1_000_000,
            "most tokens expiry and volume deletion handle per second and task",
            PROCESSOR);
    public static final Setting<Duration> IDEMPOTENCY_RETENTION = Setting.millis(
            "TOKENPOOL_IDEMPOTENCY_RETENTION_MS",
            DeletedDataBound.DEFAULT.toMillis(),
            1_000,
            Long.MAX_VALUE,
            "how long the result of a command with an idempotency key is kept for its retries (never longer than "
                    + "`TOKENPOOL_DELETED_DATA_RETENTION_MS`: results can name token IDs)",
            PROCESSOR);
    public static final Setting<Long> IDEMPOTENCY_MAX_KEYS = Setting.number(
            "TOKENPOOL_IDEMPOTENCY_MAX_KEYS",
            1_000_000,
            1,
            Long.MAX_VALUE,
            "most idempotency keys a project holds at once; a command with a new key past it is refused with 429 "
                    + "`idempotency_key_limit_exceeded`",
            PROCESSOR);
    public static final Setting<Long> ROCKSDB_MEMORY_MB = Setting.number(
            "TOKENPOOL_ROCKSDB_MEMORY_MB",
            128,
            16,
            1 << 20,
            "RocksDB memory of the process: one block cache with the memtables in it, shared by every store",
            PROCESSOR);

    // The standalone and its launcher.
    public static final Setting<String> DATA_DIR = Setting.text(
            "TOKENPOOL_DATA_DIR", "./tokenpool-data", "broker log, stores and keys of the standalone", STANDALONE);
    public static final Setting<Integer> KAFKA_PORT = Setting.integer(
            "TOKENPOOL_KAFKA_PORT", 9092, 1, 65_535, "the embedded broker's port (127.0.0.1)", STANDALONE);
    public static final Setting<Integer> KAFKA_CONTROLLER_PORT = Setting.integer(
            "TOKENPOOL_KAFKA_CONTROLLER_PORT",
            9093,
            1,
            65_535,
            "the embedded broker's controller port (127.0.0.1)",
            STANDALONE);
    public static final Setting<Duration> START_TIMEOUT = Setting.millis(
            "TOKENPOOL_START_TIMEOUT_MS",
            300_000,
            1_000,
            Long.MAX_VALUE,
            "a start not ready this soon stops the process",
            STANDALONE);
    public static final Setting<Boolean> LOCAL_READS = Setting.flag(
            "TOKENPOOL_LOCAL_READS",
            true,
            "lookups, lists and counts read from the processor's stores in the same JVM",
            STANDALONE);
    public static final Setting<String> JAVA_OPTS = Setting.text(
            "TOKENPOOL_JAVA_OPTS",
            "-Xmx512m",
            "JVM options (after the launcher's fixed `-Djdk.nio.maxCachedBufferSize=262144`, which they may override)",
            LAUNCHER);
    public static final Setting<String> MALLOC_ARENA_MAX = Setting.text(
            "MALLOC_ARENA_MAX",
            "2",
            "glibc malloc arenas of the standalone's JVM (bounds its resident memory under churn)",
            LAUNCHER);

    /** Every setting, in the order of the docs' table. */
    public static final List<Setting<?>> ALL = List.of(
            BOOTSTRAP_SERVERS,
            KAFKA_PROPERTIES,
            COMMANDS_TOPIC,
            DEAD_LETTER_TOPIC,
            PROJECTS_TOPIC,
            EVENTS_TOPIC,
            AUDIT_TOPIC,
            REPLY_TOPIC_PREFIX,
            GATEWAY_REPLY_TOPIC_PREFIX,
            REPLY_TOPIC_ALLOW,
            DELETED_DATA_RETENTION,
            HTTP_PORT,
            HTTP_HOST,
            ADMIN_KEY,
            GATEWAY_ID,
            MASTER_KEY,
            DEFAULT_POOL_LIMIT,
            DEFAULT_REQUESTS_PER_SECOND,
            DEFAULT_REQUESTS_PER_DAY,
            REQUEST_TIMEOUT,
            MAX_IN_FLIGHT,
            MAX_BODY_BYTES,
            BODY_BUDGET_BYTES,
            MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_ADDRESS,
            HTTP_HEAD_TIMEOUT,
            HTTP_READ_TIMEOUT,
            HTTP_IDLE_TIMEOUT,
            APPLICATION_ID,
            INSTANCE_ID,
            STATE_DIR,
            PROCESSING_GUARANTEE,
            COMMIT_INTERVAL_MS,
            POLL_MS,
            SESSION_TIMEOUT_MS,
            TRANSACTION_TIMEOUT_MS,
            GROUP_PROTOCOL,
            STANDBY_REPLICAS,
            COMMAND_PARTITIONS,
            REPLICATION_FACTOR,
            PROCESSOR_HTTP_HOST,
            PROCESSOR_HTTP_PORT,
            PROCESSOR_ADVERTISED_HOST,
            INTERNAL_KEY,
            PROCESSOR_URLS,
            ROUTED_READS,
            WEBHOOKS,
            WEBHOOK_GROUP,
            WEBHOOK_TOPIC_PREFIX,
            WEBHOOK_RETRY_SCHEDULE,
            WEBHOOK_TIMEOUT,
            WEBHOOK_ALLOW_HTTP,
            WEBHOOK_ALLOW_PRIVATE,
            VOLUME_DELETION_INTERVAL,
            IDEMPOTENCY_RETENTION,
            IDEMPOTENCY_MAX_KEYS,
            RULES_BUDGET,
            ROCKSDB_MEMORY_MB,
            DATA_DIR,
            KAFKA_PORT,
            KAFKA_CONTROLLER_PORT,
            START_TIMEOUT,
            LOCAL_READS,
            JAVA_OPTS,
            MALLOC_ARENA_MAX);

    /** The values the standalone uses for settings left unset, where they differ from the parts run on their own. */
    public static Map<String, String> standaloneDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        ALL.stream()
                .filter(setting -> setting.standaloneDefault() != null)
                .forEach(setting -> defaults.put(setting.name(), setting.standaloneDefault()));
        return defaults;
    }

    /** The docs' configuration table, one row a setting. */
    public static String table() {
        return "| variable | default | read by | meaning |\n| --- | --- | --- | --- |\n"
                + ALL.stream()
                        .map(setting -> "| `"
                                + setting.name() + "` | " + setting.shownDefault()
                                + (setting.standaloneDefault() == null
                                                || setting.shownDefault().contains("standalone")
                                        ? ""
                                        : " (standalone: `" + setting.standaloneDefault() + "`)")
                                + " | "
                                + setting.readBy().stream()
                                        .map(part -> part.shown)
                                        .collect(Collectors.joining(", ")) + " | "
                                + setting.meaning() + " |")
                        .collect(Collectors.joining("\n"))
                + "\n";
    }
}
