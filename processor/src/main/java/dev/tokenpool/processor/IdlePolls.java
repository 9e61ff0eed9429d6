package dev.tokenpool.processor;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka clients of the processor whose polls wait as long as nothing needs the stream thread, and no longer.
 *
 * <p>Kafka Streams commits only between polls: after each poll it checks whether more than
 * {@code commit.interval.ms} has passed since its last commit, and commits if so. Polls of a fixed
 * {@code poll.ms} serve neither side well. With nothing processed, polling every 10 ms was most of what an idle
 * processor cost (a hundred empty loops a second on the stream thread and as many on the global thread); and
 * with a processed command waiting, a poll that waits its full {@code poll.ms} when no further record comes
 * (one client, or a burst of clients all waiting for the same commit) delays that commit, and with it every reply,
 * by up to {@code poll.ms} beyond the commit interval. A poll returns as soon as records arrive, whatever its
 * timeout, so the wait only decides when the thread wakes up with nothing new. The stream thread's consumer
 * therefore waits
 * <ul>
 *   <li>{@link #IDLE_WAIT} once a transaction has begun committing since the records it last handed out were
 *       processed: nothing waits for the thread;</li>
 *   <li>until the commit is due otherwise (at most {@code poll.ms}), so that Streams' check after the poll
 *       finds the interval over and commits the processed commands on time.</li>
 * </ul>
 * The global thread's consumer (project settings, which rarely change) always waits long, and hands on its records
 * with usable timestamps only ({@link RecordTimes#withUsableTimestamps}). What may run up to
 * {@link #IDLE_WAIT} late are wall-clock punctuations (the token rules' rounds, one a second) and the commit of
 * what a punctuation wrote within {@code commit.interval.ms} of the previous commit.
 */
final class IdlePolls implements KafkaClientSupplier {
    static final Duration IDLE_WAIT = Duration.ofMillis(250);

    /** Polls and commits of one stream thread happen on that thread, with its consumer and its producer. */
    private final ThreadLocal<CommitWatch> watches;

    /** {@code commitIntervalMs}: Streams' {@code commit.interval.ms}. */
    IdlePolls(long commitIntervalMs) {
        // Streams reads the time from System.currentTimeMillis() too, so both count the interval alike.
        this.watches = ThreadLocal.withInitial(() -> new CommitWatch(commitIntervalMs, System::currentTimeMillis));
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                CommitWatch watch = watches.get();
                watch.committing();
                super.commitTransaction();
                watch.committed();
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                CommitWatch watch = watches.get();
                ConsumerRecords<byte[], byte[]> records = super.poll(watch.pollWait(timeout));
                watch.returned(!records.isEmpty());
                return records;
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                return RecordTimes.withUsableTimestamps(super.poll(longer(timeout)));
            }

            /**
             * Streams closes it with Kafka's default 30 s timeout, which waits out the fetch the broker holds (up to
             * {@link dev.tokenpool.runtime.HeldFetches#WAIT}); it has no group and no offsets to hand back.
             */
            @Override
            public void close() {
                super.close(CloseOptions.timeout(Duration.ZERO));
            }
        };
    }

    /** A poll of zero (Streams asks for one while it rebalances) stays zero. */
    static Duration longer(Duration requested) {
        return requested.isZero() || requested.compareTo(IDLE_WAIT) >= 0 ? requested : IDLE_WAIT;
    }

    /**
     * Whether one stream thread may have processed records no transaction has committed yet, and when Streams will
     * commit them. Streams processes every record a poll hands out before it polls again, so at the next poll they
     * are processed; a transaction that begins committing after that poll carries them. After each poll Streams
     * checks whether more than the commit interval has passed since its last commit ({@code lastCommitMs}, taken
     * when a commit returns or a check finds nothing to commit) and commits if so.
     */
    static final class CommitWatch {
        private final long commitIntervalMs;
        private final LongSupplier clock;
        private long commits;
        private boolean handedOut;
        /** Commits begun when the last records handed out had been processed; -1 once one began since. */
        private long commitsWhenProcessed = -1;
        /** When the last records handed out had been processed. */
        private long processedMs;
        /** When the last poll returned. */
        private long returnedMs;
        /** Streams' {@code lastCommitMs} as seen from here: never later than it, at most a millisecond earlier. */
        private long lastCommitMs;

        CommitWatch(long commitIntervalMs, LongSupplier clock) {
            this.commitIntervalMs = commitIntervalMs;
            this.clock = clock;
            this.lastCommitMs = clock.getAsLong();
        }

        void returned(boolean records) {
            returnedMs = clock.getAsLong();
            handedOut |= records;
        }

        void committing() {
            commits++;
        }

        void committed() {
            lastCommitMs = clock.getAsLong();
        }

        Duration pollWait(Duration requested) {
            long now = clock.getAsLong();
            if (now - lastCommitMs > commitIntervalMs + 1) {
                lastCommitMs = now; // Streams' check just before this poll found the interval over
            }
            if (handedOut) {
                handedOut = false;
                commitsWhenProcessed = commits;
                processedMs = now;
            } else if (commitsWhenProcessed >= 0
                    && (commits > commitsWhenProcessed || returnedMs - processedMs > commitIntervalMs + 1)) {
                // A commit began after they were processed, or Streams' check after the last poll came more than an
                // interval after they were processed and found nothing to commit: another commit carried them.
                commitsWhenProcessed = -1;
            }
            if (commitsWhenProcessed < 0) {
                return longer(requested);
            }
            // Streams commits once more than the interval has passed since its last commit.
            long untilDue = Math.max(1, lastCommitMs + commitIntervalMs + 1 - now);
            return requested.toMillis() <= untilDue ? requested : Duration.ofMillis(untilDue);
        }
    }
}
