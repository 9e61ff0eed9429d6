package dev.tokenpool.gateway;

import dev.tokenpool.runtime.Resources;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.SealedSecret;
import dev.tokenpool.schemas.SecureTransmission;
import dev.tokenpool.schemas.Timestamps;
import dev.tokenpool.schemas.TransmissionCipher;
import dev.tokenpool.schemas.Webhook;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers token events to projects' webhooks, at least once. A consumer of its own group reads the events topic
 * and the retry topics (read_committed: only events whose transaction committed); each event of a project whose
 * webhook wants it is POSTed, signed, without waiting for the answer before the next event. An event whose attempt
 * failed goes to the retry topic of its next wait and is read again when due; after the last attempt it goes to the
 * dead-letter topic and the project's webhook is reported failing. An offset is committed only once every event
 * before it was delivered or handed to Kafka for later, so a crash or restart loses nothing; it may deliver again
 * what was delivered but not yet committed, which receivers tell by {@code webhook-id}.
 *
 * <p>One project cannot hold up another: attempts run side by side, at most {@link #PER_PROJECT} a project (more
 * of its events are put off to the first retry topic, not counted as attempts), every attempt is bounded by the
 * timeout, and a retry topic waits only for its own head record, which is due soonest.
 */
final class WebhookDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    /** Attempts under way for one project; past this its events wait in Kafka rather than in memory. */
    static final int PER_PROJECT = 8;
    /** Attempts under way in all; past this no partition is read until some finish. */
    static final int MAX_IN_FLIGHT = 512;

    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long the previous secret of a rotation goes on signing. */
    static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final GatewaySettings.Webhooks settings;
    private final ProjectStore projects;
    private final MasterKeys masterKeys;
    private final WebhookStatus status;
    private final WebhookMetrics metrics;
    private final WebhookDestinations destinations;
    private final WebhookPoster poster;
    private final Set<String> retryTopics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Resources resources = new Resources();
    /** Resolving names, opening secrets, encrypting: off the loop, each attempt on a virtual thread. */
    private final ExecutorService preparing = Executors.newVirtualThreadPerTaskExecutor();
    /** What finished attempts and sends ask the loop to do; only the loop's thread touches the state below. */
    private final ConcurrentLinkedQueue<Runnable> finished = new ConcurrentLinkedQueue<>();

    private final Map<TopicPartition, Progress> progress = new HashMap<>();
    private final Map<TopicPartition, Long> dueAt = new HashMap<>();
    private final Map<String, Integer> underWay = new HashMap<>();
    private int inFlight;
    private boolean throttled;
    private long lastCommit;
    private final Thread thread;
    private volatile boolean running = true;

    /** The offsets of one partition's records not yet done, and the offset after the last record taken. */
    private static final class Progress {
        final TreeSet<Long> open = new TreeSet<>();
        long next = -1;
        boolean changed;

        long committable() {
            return open.isEmpty() ? next : open.first();
        }
    }

    WebhookDelivery(
            GatewaySettings gateway,
            ProjectStore projects,
            WebhookStatus status,
            Vertx vertx,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.settings = gateway.webhooks();
        this.projects = projects;
        this.masterKeys = gateway.masterKeys();
        this.status = status;
        this.metrics = new WebhookMetrics(registry);
        this.destinations = settings.destinations();
        this.poster = new WebhookPoster(vertx, settings.timeout());
        this.retryTopics = settings.schedule().topics(settings.topicPrefix());
        try {
            Map<String, Object> config = gateway.kafka().clientConfig();
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tokenpool-webhooks-" + gateway.gatewayId());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            resources.add(() -> consumer.close());
            this.producer = resources.add(
                    KafkaClients.producer(gateway.kafka(), "tokenpool-webhooks-writer-" + gateway.gatewayId()));
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
        this.thread =
                Thread.ofPlatform().name("webhooks-" + gateway.gatewayId()).start(this::run);
    }

    private void run() {
        List<String> topics = new ArrayList<>(List.of(settings.eventsTopic()));
        topics.addAll(retryTopics);
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commit(true);
                partitions.forEach(partition -> {
                    progress.remove(partition);
                    dueAt.remove(partition);
                });
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(partition -> {
                    progress.remove(partition);
                    dueAt.remove(partition);
                });
            }
        });
        while (running) {
            try {
                step();
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                log.warn("webhook delivery: {}; going on in a second", e.toString());
                pause(Duration.ofSeconds(1));
            }
        }
        commit(true);
    }

    private void step() {
        for (Runnable done; (done = finished.poll()) != null; ) {
            done.run();
        }
        resumeDue();
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        Set<TopicPartition> heldBack = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (heldBack.contains(partition)) {
                continue;
            }
            try {
                if (!take(partition, record)) {
                    heldBack.add(partition);
                }
            } catch (RuntimeException e) {
                // Any client may write to these topics: a record nobody foresaw is skipped, never the loop stopped.
                Progress partitionProgress = progress.computeIfAbsent(partition, p -> new Progress());
                partitionProgress.open.remove(record.offset());
                partitionProgress.next = Math.max(partitionProgress.next, record.offset() + 1);
                partitionProgress.changed = true;
                metrics.skipped(record.topic());
                log.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            }
        }
        throttle();
        commit(false);
    }

    /**
     * Takes one record: starts its attempt, skips it, or — a retry not yet due — rewinds its partition to it and
     * pauses the partition until it is due (false: the partition's later records wait too).
     */
    private boolean take(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        boolean retry = retryTopics.contains(record.topic());
        Optional<WebhookAttempt> read = record.value() == null
                ? Optional.empty()
                : retry
                        ? WebhookAttempt.read(record.value())
                        : WebhookAttempt.ofEvent(record.key(), record.value(), record.timestamp());
        long now = System.currentTimeMillis();
        long due = read.map(attempt -> dueTime(record, attempt, now)).orElse(now);
        if (due > now) {
            consumer.seek(partition, record.offset());
            consumer.pause(List.of(partition));
            dueAt.put(partition, due);
            return false;
        }
        Progress partitionProgress = progress.computeIfAbsent(partition, p -> new Progress());
        partitionProgress.next = record.offset() + 1;
        partitionProgress.changed = true;
        if (read.isEmpty()) {
            metrics.skipped(record.topic());
            log.debug("skipped {}-{}@{}: not a webhook event", record.topic(), record.partition(), record.offset());
            return true;
        }
        WebhookAttempt attempt = read.get();
        Optional<Webhook> webhook = projects.byId(attempt.projectId())
                .map(ProjectRecord::webhook)
                .filter(w -> w.delivers(attempt.trigger()));
        if (webhook.isEmpty()) {
            return true; // the project wants no such event (any more)
        }
        partitionProgress.open.add(record.offset());
        if (underWay.getOrDefault(attempt.projectId(), 0) >= PER_PROJECT) {
            Duration wait = settings.schedule().waits().getFirst();
            handOver(
                    partitionProgress,
                    record.offset(),
                    RetrySchedule.topic(settings.topicPrefix(), wait),
                    attempt.putOff(now + wait.toMillis()));
            metrics.putOff();
            return true;
        }
        underWay.merge(attempt.projectId(), 1, Integer::sum);
        inFlight++;
        preparing.execute(() -> attempt(partitionProgress, record.offset(), attempt));
        return true;
    }

    /**
     * When a record falls due: as it says, but never later than its topic's wait from its writing, nor than that wait
     * from now. The record at the head of a retry topic holds back the records behind it, so one that claims a due
     * time no record of tokenpool's could have (another client wrote it) is due at once rather than blocking the rest.
     */
    private long dueTime(ConsumerRecord<String, byte[]> record, WebhookAttempt attempt, long now) {
        Duration wait = waitOf(record.topic());
        long due = Math.min(attempt.dueAtMillis(), record.timestamp() + wait.toMillis());
        return due > now + wait.toMillis() ? now : due;
    }

    private Duration waitOf(String topic) {
        return settings.schedule().waits().stream()
                .filter(wait ->
                        RetrySchedule.topic(settings.topicPrefix(), wait).equals(topic))
                .findFirst()
                .orElse(Duration.ZERO); // the events topic: due when read
    }

    /** One attempt, on a virtual thread: the destination checked, the body made and signed, then POSTed. */
    private void attempt(Progress partitionProgress, long offset, WebhookAttempt attempt) {
        long startedAt = System.currentTimeMillis();
        try {
            ProjectRecord project =
                    projects.byId(attempt.projectId()).orElseThrow(() -> new CannotDeliver("the project is gone"));
            Webhook webhook = project.webhook();
            if (webhook == null) {
                throw new CannotDeliver("the project has no webhook any more");
            }
            URI url = destinations.parse(webhook.url());
            InetAddress address = destinations.resolve(url);
            byte[] body = body(project, attempt);
            long timestamp = startedAt / 1000;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("content-type", "application/json");
            headers.put("user-agent", "tokenpool-webhooks");
            headers.put("webhook-id", attempt.eventId());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put(
                    "webhook-signature",
                    WebhookSignature.header(secrets(project, webhook), attempt.eventId(), timestamp, body));
            poster.post(url, address, headers, body)
                    .onComplete(outcome -> finished.add(() -> settle(
                            partitionProgress,
                            offset,
                            attempt,
                            outcome.succeeded()
                                    ? outcome.result()
                                    : new WebhookPoster.Outcome.NoAnswer(String.valueOf(outcome.cause())),
                            startedAt)));
        } catch (CannotDeliver | WebhookDestinations.Refused | MasterKeys.CannotOpen e) {
            finished.add(() -> settle(
                    partitionProgress, offset, attempt, new WebhookPoster.Outcome.NoAnswer(e.getMessage()), startedAt));
        } catch (RuntimeException e) {
            finished.add(() -> settle(
                    partitionProgress, offset, attempt, new WebhookPoster.Outcome.NoAnswer(e.toString()), startedAt));
        }
    }

    /** Why an event cannot be sent to its project now; the attempt counts as failed. */
    private static final class CannotDeliver extends Exception {
        CannotDeliver(String message) {
            super(message, null, false, false);
        }
    }

    /** The body: the event as JSON, or {@code {"data": <ciphertext>}} under the project's Secure Data Transmission. */
    private byte[] body(ProjectRecord project, WebhookAttempt attempt) throws CannotDeliver, MasterKeys.CannotOpen {
        byte[] event = Json.write(attempt.event());
        SecureTransmission transmission = project.transmission();
        if (!transmission.enabled()) {
            return event;
        }
        if (transmission.key() != SecureTransmission.KeySource.SECRET_KEY || project.sealedSecretKey() == null) {
            throw new CannotDeliver("the project encrypts with its API key, which tokenpool does not keep: "
                    + "encrypted webhooks need the secret key");
        }
        TransmissionCipher cipher = TransmissionCipher.forSecret(
                transmission.mode(), masterKeys.open(project.projectId(), project.sealedSecretKey()));
        return Json.write(Map.of("data", cipher.encrypt(new String(event, StandardCharsets.UTF_8))));
    }

    private List<String> secrets(ProjectRecord project, Webhook webhook) throws MasterKeys.CannotOpen {
        List<String> secrets = new ArrayList<>();
        for (SealedSecret sealed : webhook.signingSecrets(Instant.now())) {
            secrets.add(masterKeys.open(webhookContext(project.projectId()), sealed));
        }
        return secrets;
    }

    /** What a webhook secret is sealed under besides the master key: not the project's secret key, ever. */
    static String webhookContext(String projectId) {
        return projectId + "#webhook";
    }

    /** On the loop: how an attempt ended decides what happens to the event. */
    private void settle(
            Progress partitionProgress,
            long offset,
            WebhookAttempt attempt,
            WebhookPoster.Outcome outcome,
            long startedAt) {
        underWay.computeIfPresent(attempt.projectId(), (project, n) -> n > 1 ? n - 1 : null);
        inFlight--;
        long now = System.currentTimeMillis();
        metrics.attempt(outcome.delivered(), Duration.ofMillis(now - startedAt));
        if (outcome.delivered()) {
            metrics.delivered(Duration.ofMillis(Math.max(0, now - attempt.eventAtMillis())));
            status.of(attempt.projectId())
                    .filter(WebhookStatus.Status::failing)
                    .ifPresent(failing -> status.report(
                            producer,
                            attempt.projectId(),
                            new WebhookStatus.Status(false, Timestamps.now(), null, failing.deadLettered())));
            done(partitionProgress, offset);
            return;
        }
        log.debug(
                "webhook attempt {} of {} for {} failed: {}",
                attempt.failedAttempts() + 1,
                attempt.eventId(),
                attempt.projectId(),
                outcome.describe());
        WebhookAttempt failed = attempt.failed(outcome.describe(), now);
        Optional<Duration> wait = settings.schedule().waitAfter(failed.failedAttempts());
        if (wait.isPresent()) {
            handOver(
                    partitionProgress,
                    offset,
                    RetrySchedule.topic(settings.topicPrefix(), wait.get()),
                    failed.putOff(now + wait.get().toMillis()));
            return;
        }
        metrics.deadLettered();
        log.warn(
                "webhook of project {}: event {} dead-lettered after {} attempts ({})",
                attempt.projectId(),
                attempt.eventId(),
                failed.failedAttempts(),
                outcome.describe());
        long deadLettered = status.of(attempt.projectId())
                        .map(WebhookStatus.Status::deadLettered)
                        .orElse(0L)
                + 1;
        String since = status.of(attempt.projectId())
                .filter(WebhookStatus.Status::failing)
                .map(WebhookStatus.Status::since)
                .orElse(Timestamps.now());
        status.report(
                producer, attempt.projectId(), new WebhookStatus.Status(true, since, outcome.describe(), deadLettered));
        handOver(partitionProgress, offset, settings.deadLetterTopic(), failed);
    }

    /** Writes the event to {@code topic}; its offset is done once Kafka has it, and the write is tried until then. */
    private void handOver(Progress partitionProgress, long offset, String topic, WebhookAttempt attempt) {
        try {
            producer.send(new ProducerRecord<>(topic, attempt.projectId(), Json.write(attempt)), (metadata, error) -> {
                if (error == null) {
                    finished.add(() -> done(partitionProgress, offset));
                } else {
                    handOverLater(partitionProgress, offset, topic, attempt, error);
                }
            });
        } catch (RuntimeException e) {
            handOverLater(partitionProgress, offset, topic, attempt, e);
        }
    }

    /** Kafka did not take the event: it is written again in a second, and its offset stays open until then. */
    private void handOverLater(
            Progress partitionProgress, long offset, String topic, WebhookAttempt attempt, Exception error) {
        log.warn(
                "could not write webhook event {} to {}: {}; trying again", attempt.eventId(), topic, error.toString());
        preparing.execute(() -> {
            pause(Duration.ofSeconds(1));
            finished.add(() -> handOver(partitionProgress, offset, topic, attempt));
        });
    }

    private void done(Progress partitionProgress, long offset) {
        partitionProgress.open.remove(offset);
        partitionProgress.changed = true;
    }

    private void resumeDue() {
        long now = System.currentTimeMillis();
        List<TopicPartition> due = new ArrayList<>();
        dueAt.entrySet().removeIf(entry -> {
            if (entry.getValue() <= now) {
                due.add(entry.getKey());
                return true;
            }
            return false;
        });
        if (!due.isEmpty() && !throttled) {
            consumer.resume(due);
        }
    }

    /** Stops reading while {@link #MAX_IN_FLIGHT} attempts are under way, and reads again below half of that. */
    private void throttle() {
        if (!throttled && inFlight >= MAX_IN_FLIGHT) {
            throttled = true;
            consumer.pause(consumer.assignment());
        } else if (throttled && inFlight < MAX_IN_FLIGHT / 2) {
            throttled = false;
            List<TopicPartition> resumed = consumer.assignment().stream()
                    .filter(partition -> !dueAt.containsKey(partition))
                    .toList();
            consumer.resume(resumed);
        }
    }

    /** Commits, for each partition that moved, the offset below which every record is done. */
    private void commit(boolean now) {
        if (!now && System.currentTimeMillis() - lastCommit < COMMIT_EVERY.toMillis()) {
            return;
        }
        lastCommit = System.currentTimeMillis();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, p) -> {
            if (p.changed && p.next >= 0) {
                offsets.put(partition, new OffsetAndMetadata(p.committable()));
                p.changed = false;
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("webhook delivery could not commit: {}", e.toString());
            offsets.keySet().forEach(partition -> {
                Progress p = progress.get(partition);
                if (p != null) {
                    p.changed = true;
                }
            });
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        preparing.shutdownNow();
        poster.close();
        resources.close();
    }
}
