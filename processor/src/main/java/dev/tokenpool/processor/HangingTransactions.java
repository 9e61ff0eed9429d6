package dev.tokenpool.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts the processor's hanging transactions: a transaction still open on a partition, long past its
 * timeout, whose coordinator will never write that partition's marker (it finished the transaction, or never knew
 * the partition was in it). Seen after kill -9 of a broker during transactions: the group's offsets partition kept
 * an open transaction of an earlier producer epoch, the committed-offset fetch (which waits for stable offsets
 * under exactly-once) timed out again and again, and the restarted processor never resumed. Nothing but an abort
 * marker ends such a transaction (KIP-664's {@code kafka-transactions.sh find-hanging} and {@code abort}).
 *
 * <p>The rule is Kafka's own: a transaction open on a partition for longer than three times its transaction
 * timeout (a live one is aborted by its coordinator at the timeout) is hanging when its producer's transactional
 * ID is the processor's and the coordinator's description of it does not list that partition. Only the processor's
 * transactional IDs ({@code <application.id>-…}) are touched. The partitions looked at are every partition the
 * processor writes in transactions: its group's offsets, its changelogs, tokenpool's topics and reply topics.
 * Aborting needs the ClusterAction permission; without it the transaction and the command that aborts it are
 * logged for an operator.
 */
final class HangingTransactions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);
    static final Duration EVERY = Duration.ofSeconds(30);
    /** While the processor is not running (starting, restoring): a hanging transaction may be what holds it. */
    static final Duration EVERY_WHILE_STARTING = Duration.ofSeconds(5);

    static final Duration MIN_AGE = Duration.ofSeconds(30);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);

    private final Admin admin;
    private final String transactionalIdPrefix;
    private final Predicate<String> topicsWritten;
    private final BooleanSupplier running;
    private final LongSupplier clock;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable ->
            Thread.ofPlatform().name("hanging-transactions").daemon(true).unstarted(runnable));
    private long lastSweepMs;

    /** An open transaction found on one partition. */
    record OpenTransaction(TopicPartition partition, ProducerState producer) {}

    /**
     * {@code topicsWritten}: the topics (besides the group's offsets) the processor writes in transactions;
     * {@code running}: whether the processor runs, to sweep often while it does not.
     */
    HangingTransactions(
            Admin admin,
            String applicationId,
            Predicate<String> topicsWritten,
            BooleanSupplier running,
            LongSupplier clock) {
        this.admin = admin;
        this.transactionalIdPrefix = applicationId + "-";
        this.topicsWritten = topicsWritten;
        this.running = running;
        this.clock = clock;
    }

    void start() {
        sweeper.scheduleWithFixedDelay(
                this::maybeSweep,
                EVERY_WHILE_STARTING.toMillis(),
                EVERY_WHILE_STARTING.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void maybeSweep() {
        long now = clock.getAsLong();
        if (running.getAsBoolean() && now - lastSweepMs < EVERY.toMillis()) {
            return;
        }
        lastSweepMs = now;
        try {
            sweep();
        } catch (Exception e) {
            log.debug("looking for hanging transactions failed: {}", e.toString());
        }
    }

    /** Looks at every partition the processor writes to and aborts what hangs there; returns what it aborted. */
    List<OpenTransaction> sweep() throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        for (var topic : get(admin.describeTopics(
                                get(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                                                        .listInternal(true))
                                                .names())
                                        .stream()
                                        .filter(name -> name.equals("__consumer_offsets") || topicsWritten.test(name))
                                        .toList())
                        .allTopicNames())
                .values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        long now = clock.getAsLong();
        List<OpenTransaction> old = new ArrayList<>();
        get(admin.describeProducers(partitions).all())
                .forEach((partition, producers) -> producers.activeProducers().stream()
                        .filter(producer ->
                                producer.currentTransactionStartOffset().isPresent())
                        .filter(producer -> now - producer.lastTimestamp() > MIN_AGE.toMillis())
                        .forEach(producer -> old.add(new OpenTransaction(partition, producer))));
        if (old.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = new HashSet<>();
        old.forEach(open -> producerIds.add(open.producer().producerId()));
        Map<Long, String> transactionalIds = new HashMap<>();
        for (TransactionListing listing :
                get(admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                        .all())) {
            if (listing.transactionalId().startsWith(transactionalIdPrefix)) {
                transactionalIds.put(listing.producerId(), listing.transactionalId());
            }
        }
        Map<String, TransactionDescription> descriptions = transactionalIds.isEmpty()
                ? Map.of()
                : get(admin.describeTransactions(transactionalIds.values()).all());
        List<OpenTransaction> aborted = new ArrayList<>();
        for (OpenTransaction open : old) {
            String transactionalId = transactionalIds.get(open.producer().producerId());
            if (transactionalId != null && isHanging(open, descriptions.get(transactionalId), now)) {
                abort(open, transactionalId);
                aborted.add(open);
            }
        }
        return aborted;
    }

    /**
     * Whether an open transaction of one of the processor's transactional IDs hangs: open for longer than three
     * times its timeout, on a partition its coordinator does not list (it lists every partition it still owes a
     * marker, in an ongoing transaction and in one it is completing).
     */
    static boolean isHanging(OpenTransaction open, TransactionDescription coordinator, long nowMs) {
        if (coordinator == null) {
            return false; // not known to be ours: left to an operator
        }
        long timeout = Math.max(MIN_AGE.toMillis(), 3 * coordinator.transactionTimeoutMs());
        return nowMs - open.producer().lastTimestamp() > timeout
                && !coordinator.topicPartitions().contains(open.partition());
    }

    private void abort(OpenTransaction open, String transactionalId) throws Exception {
        ProducerState producer = open.producer();
        AbortTransactionSpec spec = new AbortTransactionSpec(
                open.partition(),
                producer.producerId(),
                (short) producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(0));
        try {
            get(admin.abortTransaction(spec).all());
            log.warn(
                    "aborted a hanging transaction of {} on {} (producer {}, epoch {}, open since offset {}): its"
                            + " coordinator will not write its marker",
                    transactionalId,
                    open.partition(),
                    producer.producerId(),
                    producer.producerEpoch(),
                    producer.currentTransactionStartOffset().orElse(-1));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterAuthorizationException) {
                log.error(
                        "a hanging transaction of {} on {} holds the processor back, and aborting it needs the "
                                + "ClusterAction permission: kafka-transactions.sh --bootstrap-server … abort --topic {} --partition {}"
                                + " --producer-id {} --producer-epoch {} --coordinator-epoch {}",
                        transactionalId,
                        open.partition(),
                        open.partition().topic(),
                        open.partition().partition(),
                        producer.producerId(),
                        producer.producerEpoch(),
                        producer.coordinatorEpoch().orElse(0));
                return;
            }
            throw e;
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
        try {
            return future.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + ASK_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
