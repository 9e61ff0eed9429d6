package dev.tokenpool.processor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka clients of the processor whose polls wait long while there is nothing to commit.
 *
 * <p>Kafka Streams commits only between polls, so its poll time ({@code poll.ms}, 10 ms) bounds how long a
 * processed command waits for its transaction, and with it for its reply. But polling every 10 ms with nothing
 * processed was most of what an idle processor cost: a hundred empty loops a second on the stream thread and as
 * many on the global thread. A poll returns as soon as records arrive, whatever its timeout, so waiting longer
 * delays nothing that comes in. The stream thread's consumer therefore polls for {@link #IDLE_WAIT} whenever a
 * transaction has begun committing since the records it last handed out were processed, and for {@code poll.ms}
 * only until then; the global thread's consumer (project settings, which rarely change) always waits long. What
 * may run up to {@link #IDLE_WAIT} late are wall-clock punctuations (the token rules' rounds, one a second) and
 * the commit of what a punctuation wrote within {@code commit.interval.ms} of the previous commit.
 */
final class IdlePolls implements KafkaClientSupplier {
    static final Duration IDLE_WAIT = Duration.ofMillis(250);

    /** Polls and commits of one stream thread happen on that thread, with its consumer and its producer. */
    private final ThreadLocal<CommitWatch> watches = ThreadLocal.withInitial(CommitWatch::new);

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        return intercept(Producer.class, producer, (proxy, method, args) -> {
            if (method.getName().equals("commitTransaction")) {
                watches.get().committing();
            }
            return call(method, producer, args);
        });
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = newConsumer(config);
        return intercept(Consumer.class, consumer, (proxy, method, args) -> {
            if (!isPoll(method.getName(), args)) {
                return call(method, consumer, args);
            }
            CommitWatch watch = watches.get();
            ConsumerRecords<?, ?> records = (ConsumerRecords<?, ?>) call(method, consumer,
                    new Object[] {watch.pollWait((Duration) args[0])});
            if (!records.isEmpty()) {
                watch.handedOut();
            }
            return records;
        });
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return newConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = newConsumer(config);
        return intercept(Consumer.class, consumer, (proxy, method, args) -> call(method, consumer,
                isPoll(method.getName(), args) ? new Object[] {longer((Duration) args[0])} : args));
    }

    private static Consumer<byte[], byte[]> newConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static boolean isPoll(String method, Object[] args) {
        return method.equals("poll") && args != null && args.length == 1 && args[0] instanceof Duration;
    }

    /** A poll of zero (Streams asks for one while it rebalances) stays zero. */
    static Duration longer(Duration requested) {
        return requested.isZero() || requested.compareTo(IDLE_WAIT) >= 0 ? requested : IDLE_WAIT;
    }

    @SuppressWarnings("unchecked")
    private static <T> T intercept(Class<?> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(IdlePolls.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Whether one stream thread may have processed records no transaction has committed yet. Streams processes
     * every record a poll hands out before it polls again, so at the next poll they are processed; a transaction
     * that begins committing after that poll carries them.
     */
    static final class CommitWatch {
        private long commits;
        private boolean handedOut;
        /** Commits begun when the last records handed out had been processed; -1 once one began since. */
        private long commitsWhenProcessed = -1;

        void handedOut() {
            handedOut = true;
        }

        void committing() {
            commits++;
        }

        Duration pollWait(Duration requested) {
            if (handedOut) {
                handedOut = false;
                commitsWhenProcessed = commits;
            } else if (commitsWhenProcessed >= 0 && commits > commitsWhenProcessed) {
                commitsWhenProcessed = -1;
            }
            return commitsWhenProcessed >= 0 ? requested : longer(requested);
        }
    }
}
