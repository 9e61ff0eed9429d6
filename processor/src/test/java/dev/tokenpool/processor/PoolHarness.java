package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Directories;
import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.Order;
import dev.tokenpool.schemas.PageKey;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenEvent;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The topology under TopologyTestDriver, with one call per API operation. */
final class PoolHarness implements AutoCloseable {
    static final String REPLY_TOPIC = "tokenpool.replies.test";

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> commands;
    final TestOutputTopic<String, PoolResult> replies;
    final TestOutputTopic<String, byte[]> deadLetters;
    final TestInputTopic<String, byte[]> projects;
    final TestOutputTopic<String, TokenEvent> events;
    final TestOutputTopic<String, AuditRecord> audit;
    private final Path stateDir = tempDir();
    private final Set<String> registered = new HashSet<>();
    /** Record time and the driver's wall clock, moved on together. */
    private Instant clock = Instant.parse("2026-11-24T08:00:00Z");

    PoolHarness() {
        this(TopologySettings.defaults(), ReplyTopics.ANY);
    }

    PoolHarness(TopologySettings settings) {
        this(settings, ReplyTopics.ANY);
    }

    PoolHarness(TopologySettings config, ReplyTopics replyTopics) {
        this(config, replyTopics, new FailedRecords());
    }

    PoolHarness(TopologySettings config, ReplyTopics replyTopics, FailedRecords failures) {
        this(config, replyTopics, failures, HomePartitions.ANY);
    }

    PoolHarness(TopologySettings config, ReplyTopics replyTopics, FailedRecords failures, HomePartitions homes) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenpool-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TokenPoolTopology.build(config, replyTopics, failures, homes), props, clock);
        commands = driver.createInputTopic(config.commandsTopic(), new StringSerializer(), new ByteArraySerializer());
        replies = driver.createOutputTopic(
                REPLY_TOPIC, new StringDeserializer(), TokenPoolSerdes.result().deserializer());
        deadLetters = driver.createOutputTopic(
                config.deadLetterTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        projects = driver.createInputTopic(config.projectsTopic(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(
                config.eventsTopic(),
                new StringDeserializer(),
                TokenPoolSerdes.event().deserializer());
        audit = driver.createOutputTopic(
                config.auditTopic(),
                new StringDeserializer(),
                TokenPoolSerdes.audit().deserializer());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tokenpool-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the command at the next second of the harness clock and returns its result. A project the
     * harness has not registered yet is registered first with the default limit, as the admin API would.
     */
    PoolResult send(String projectId, PoolCommand command) {
        return sendWithKey(projectId, null, command);
    }

    /** The same, with an idempotency key (null: none). */
    PoolResult sendWithKey(String projectId, String idempotencyKey, PoolCommand command) {
        if (!registered.contains(projectId)) {
            registerProject(projectId, PoolLimits.DEFAULT_POOL_LIMIT);
        }
        String correlationId = UUID.randomUUID().toString();
        pipe(
                projectId,
                CommandCodec.encode(
                        CommandEnvelope.of(correlationId, REPLY_TOPIC, command).withIdempotencyKey(idempotencyKey)));
        PoolResult result = onlyResult();
        assertThat(result.correlationId()).isEqualTo(correlationId);
        return result;
    }

    /** Sends the command at the current time, without moving the clock (so no punctuation runs first). */
    PoolResult sendNow(String projectId, PoolCommand command) {
        String correlationId = UUID.randomUUID().toString();
        commands.pipeInput(new TestRecord<>(
                projectId, CommandCodec.encode(CommandEnvelope.of(correlationId, REPLY_TOPIC, command)), clock));
        PoolResult result = onlyResult();
        assertThat(result.correlationId()).isEqualTo(correlationId);
        return result;
    }

    PoolResult add(String projectId, String... tokenIds) {
        return send(projectId, new PoolCommand.AddTokens(List.of(tokenIds)));
    }

    PoolResult delete(String projectId, String... tokenIds) {
        return send(projectId, new PoolCommand.DeleteTokens(List.of(tokenIds)));
    }

    PoolResult deleteByOrder(String projectId, int count, Order order) {
        return send(projectId, new PoolCommand.DeleteByOrder(count, order));
    }

    PoolResult get(String projectId, String tokenId) {
        return send(projectId, new PoolCommand.GetToken(tokenId));
    }

    PoolResult use(String projectId, String tokenId) {
        return send(projectId, new PoolCommand.UseToken(tokenId));
    }

    PoolResult list(String projectId, PageKey from) {
        return send(projectId, new PoolCommand.ListTokens(from));
    }

    PoolResult count(String projectId) {
        return send(projectId, new PoolCommand.CountTokens());
    }

    /** Writes a project's settings to the registry topic. */
    void registerProject(String projectId, long poolLimit) {
        registerProject(ProjectRecord.create(projectId, projectId, "hash", poolLimit));
    }

    void registerProject(ProjectRecord project) {
        registered.add(project.projectId());
        projects.pipeInput(
                project.projectId(), TokenPoolSerdes.project().serializer().serialize("projects", project));
    }

    /** Moves record time and the wall clock on by {@code duration}, running the punctuations due meanwhile. */
    void advance(java.time.Duration duration) {
        clock = clock.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    /** Sends a raw record value as any producer could. */
    void pipe(String projectId, byte[] value) {
        advance(java.time.Duration.ofSeconds(1));
        commands.pipeInput(new TestRecord<>(projectId, value, clock));
    }

    void pipe(String projectId, String value) {
        pipe(projectId, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a raw record value with the record timestamp a producer chose, without moving the clock. */
    void pipeAt(String projectId, String value, Instant recordTime) {
        commands.pipeInput(new TestRecord<>(projectId, value.getBytes(StandardCharsets.UTF_8), recordTime));
    }

    Instant clock() {
        return clock;
    }

    PoolResult onlyResult() {
        List<PoolResult> results = replies.readValuesToList();
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    /** The token IDs of a project from the oldest to the newest registration, read from the order index. */
    List<String> poolInOrder(String projectId) {
        try (var it = store(PoolStores.ORDER_STORE)
                .range(PoolSchema.OrderKey.first(projectId), PoolSchema.OrderKey.last(projectId))) {
            List<String> ids = new java.util.ArrayList<>();
            it.forEachRemaining(kv -> ids.add(new String(kv.value, StandardCharsets.UTF_8)));
            return ids;
        }
    }

    /** A pool store as the processor sees it, to look at (or damage) what is stored. */
    KeyValueStore<Bytes, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
        Directories.delete(stateDir);
        assertThat(stateDir).doesNotExist();
    }
}
