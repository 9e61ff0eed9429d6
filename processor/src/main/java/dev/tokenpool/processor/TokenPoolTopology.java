package dev.tokenpool.processor;

import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The token pool topology: commands keyed by project ID go through one processor that owns the pool
 * stores; each result goes to the topic its command named in {@code replyTo}, and records that
 * cannot be answered go to the dead-letter topic. Wall-clock punctuations apply each project's rules
 * (expiry by time, volume deletion); every change is sent with its events and audit record.
 *
 * <pre>
 * commands ──▶ pool (pool-tokens, pool-order, pool-meta) ──┬─▶ replyTo topic of each command
 *    ▲            ▲   ⏱ project rules every second:        ├─▶ dead letters
 *    └────────────┼── a command outside its project's partition (a non-Java partitioner) goes there first
 *                 │     expiry, volume deletion            ├─▶ events (token_expired)
 *                 │                                        └─▶ audit (one record per mutation)
 * projects ──▶ project-settings (global store: each project's limit and rules)
 * </pre>
 *
 * Drive it with {@code new TopologyTestDriver(TokenPoolTopology.build(TopologySettings.defaults()))}.
 */
public final class TokenPoolTopology {
    static final String COMMANDS_SOURCE_NODE = "commands";
    static final String POOL_NODE = "pool";
    static final String REPLIES_SINK_NODE = "replies";
    static final String DEAD_LETTERS_SINK_NODE = "dead-letters";
    static final String HOME_SINK_NODE = "to-home-partition";
    static final String EVENTS_SINK_NODE = "events";
    static final String AUDIT_SINK_NODE = "audit";
    static final String PROJECTS_SOURCE_NODE = "projects";
    static final String PROJECT_SETTINGS_NODE = "project-settings-updater";

    private TokenPoolTopology() {}

    /** The topology with every reply topic taken to exist, as TopologyTestDriver needs. */
    public static Topology build(TopologySettings settings) {
        return build(settings, ReplyTopics.ANY);
    }

    public static Topology build(TopologySettings settings, ReplyTopics replyTopics) {
        return build(settings, replyTopics, new FailedRecords(), HomePartitions.ANY);
    }

    /** The same, remembering the records whose processing failed in {@code failures}. */
    static Topology build(
            TopologySettings settings, ReplyTopics replyTopics, FailedRecords failures, HomePartitions homes) {
        return build(settings, replyTopics, new Topology(), new CommittedCommands(PoolStores.NAMES), failures, homes);
    }

    /**
     * The topology for a running processor. Its {@link TopologyConfig} must come from the application's
     * own streams configuration: Kafka Streams reads settings such as transactional state stores from
     * it when it opens the state at start (with a plain {@code new Topology()} they would be defaults).
     */
    static Topology build(
            TopologySettings settings,
            ReplyTopics replyTopics,
            Properties streamsProperties,
            CommittedCommands commits,
            HomePartitions homes) {
        return build(
                settings,
                replyTopics,
                new Topology(new TopologyConfig(new StreamsConfig(streamsProperties))),
                commits,
                new FailedRecords(),
                homes);
    }

    /** {@code failures} serves every stream thread of the instance, replacements of failed threads too. */
    private static Topology build(
            TopologySettings settings,
            ReplyTopics replyTopics,
            Topology topology,
            CommittedCommands commits,
            FailedRecords failures,
            HomePartitions homes) {
        TopicNameExtractor<String, PoolResult> replyTo = (key, result, recordContext) -> result.replyTo();

        // Values are read as raw bytes: the processor decodes them itself, so no record can fail deserialization;
        // and every record has a usable time (RecordTimes), so none can fail timestamp extraction either.
        topology.addSource(
                AutoOffsetReset.earliest(),
                COMMANDS_SOURCE_NODE,
                new RecordTimes(),
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                settings.commandsTopic());
        topology.addProcessor(
                POOL_NODE,
                () -> new PoolCommandProcessor(settings, replyTopics, commits, failures, homes),
                COMMANDS_SOURCE_NODE);
        PoolStores.builders(commits).forEach(store -> topology.addStateStore(store, POOL_NODE));
        topology.addSink(
                REPLIES_SINK_NODE,
                replyTo,
                new StringSerializer(),
                TokenPoolSerdes.result().serializer(),
                POOL_NODE);
        topology.addSink(
                DEAD_LETTERS_SINK_NODE,
                settings.deadLetterTopic(),
                new StringSerializer(),
                new ByteArraySerializer(),
                POOL_NODE);
        topology.addSink(
                HOME_SINK_NODE,
                settings.commandsTopic(),
                new StringSerializer(),
                new ByteArraySerializer(),
                homes.partitioner(),
                POOL_NODE);
        topology.addSink(
                EVENTS_SINK_NODE,
                settings.eventsTopic(),
                new StringSerializer(),
                TokenPoolSerdes.event().serializer(),
                POOL_NODE);
        topology.addSink(
                AUDIT_SINK_NODE,
                settings.auditTopic(),
                new StringSerializer(),
                TokenPoolSerdes.audit().serializer(),
                POOL_NODE);
        topology.addGlobalStore(
                ProjectSettingsStore.builder(),
                PROJECTS_SOURCE_NODE,
                new RecordTimes(),
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                settings.projectsTopic(),
                PROJECT_SETTINGS_NODE,
                ProjectSettingsStore.Updater::new);
        return topology;
    }
}
