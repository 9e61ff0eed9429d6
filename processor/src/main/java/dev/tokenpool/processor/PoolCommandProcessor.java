package dev.tokenpool.processor;

import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.DecodedCommand;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.ErrorResponse;
import dev.tokenpool.schemas.Json;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectIds;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import dev.tokenpool.schemas.ReplyAddress;
import dev.tokenpool.schemas.ResponseBody;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one command record, applies it to its project's pool and forwards the result to the
 * command's reply topic. Every record ends as a result or a dead letter: nothing a producer writes
 * can stop the topology. The reply address is checked first: a command whose result could not be
 * delivered (a topic results may not go to, or one that does not exist) is a dead letter and changes
 * nothing.
 *
 * <p>A command is worked out whole before any of it is done ({@link CommandOutcome}): a failure nobody
 * foresaw while working it out is the record's own, and costs that record alone (a dead letter with the
 * failure). Failures of Kafka itself end the stream thread, which is replaced and tries the command again; a
 * record whose outcome failed to apply for any other reason is a dead letter when the replacement reads it
 * ({@link FailedRecords}).
 */
final class PoolCommandProcessor implements Processor<String, byte[], String, Object> {
    private static final Logger log = LoggerFactory.getLogger(PoolCommandProcessor.class);

    private final ReplyPolicy replyPolicy;
    private final ReplyTopics replyTopics;
    private final TopologySettings settings;
    private final CommittedCommands commits;
    private final FailedRecords failures;
    private final HomePartitions homes;
    private ProcessorContext<String, Object> context;
    private PoolStores stores;
    private ReadOnlyKeyValueStore<String, byte[]> projects;
    private RulesSchedule rules;
    private IdempotencyMetrics metrics;

    PoolCommandProcessor(
            TopologySettings settings,
            ReplyTopics replyTopics,
            CommittedCommands commits,
            FailedRecords failures,
            HomePartitions homes) {
        this.settings = settings;
        this.commits = commits;
        this.failures = failures;
        this.homes = homes;
        this.replyPolicy = new ReplyPolicy(settings);
        this.replyTopics = replyTopics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = PoolStores.from(context);
        this.projects = context.getStateStore(ProjectSettingsStore.STORE);
        this.metrics =
                new IdempotencyMetrics(context.metrics(), context.taskId().toString());
        this.rules = new RulesSchedule(
                context,
                new ProjectRules(
                        stores, projects, context::forward, settings.rulesBudget(), settings.idempotencyRetention()),
                settings.volumeDeletionInterval());
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null) {
            commits.processed(source.partition(), source.offset());
        }
        CommandOutcome outcome = new CommandOutcome();
        try {
            plan(record, source, outcome);
        } catch (KafkaException e) {
            throw e; // Kafka's failure (a store, a topic listing), not the command's: it is tried again
        } catch (RuntimeException | StackOverflowError e) {
            log.error("the command at {} could not be worked out; nothing was applied", where(source), e);
            outcome = new CommandOutcome();
            deadLetter(outcome, record, "processing this record failed (" + e + "); nothing was applied");
        }
        try {
            outcome.apply(context);
        } catch (RuntimeException | Error e) {
            if (source != null && FailedRecords.isTheRecords(e)) {
                log.error(
                        "applying the command at {} failed; the stream thread is replaced and the record skipped",
                        where(source),
                        e);
                failures.failed(source, e);
            }
            throw e;
        }
        if (outcome.writesPool()) {
            rules.wake(); // the pool may now hold tokens under a TTL
        }
    }

    private void plan(Record<String, byte[]> record, RecordMetadata source, CommandOutcome outcome) {
        if (source != null) {
            if (!homes.isHome(record.key(), source.partition())) {
                outcome.send(
                        HomePartitions.forwarded(record, source, context.currentSystemTimeMs()),
                        TokenPoolTopology.HOME_SINK_NODE);
                return;
            }
            Optional<String> earlier = failures.takeFailure(source);
            if (earlier.isPresent()) {
                deadLetter(
                        outcome,
                        record,
                        "applying this record failed (" + earlier.get() + "); it is skipped: nothing was applied");
                return;
            }
        }
        switch (CommandCodec.decode(record.value())) {
            case DecodedCommand.Unreadable unreadable -> deadLetter(outcome, record, unreadable.reason());
            case DecodedCommand.Refused refused -> {
                if (deliverable(outcome, record, refused.replyAddress())) {
                    log.debug(
                            "refused command {} of project {}: {}",
                            refused.replyAddress().correlationId(),
                            record.key(),
                            refused.error().errorMessage());
                    reply(outcome, record, PoolResult.of(refused.replyAddress(), refused.error()));
                }
            }
            case DecodedCommand.Accepted accepted -> {
                ReplyAddress to = new ReplyAddress(
                        accepted.envelope().correlationId(), accepted.envelope().replyTo());
                if (deliverable(outcome, record, to)) {
                    execute(outcome, record, to, accepted.envelope());
                }
            }
        }
    }

    /** Whether a result can go to the reply address; if not, the record is a dead letter. */
    private boolean deliverable(CommandOutcome outcome, Record<String, byte[]> record, ReplyAddress to) {
        Optional<String> refusal = replyPolicy.refusal(to.replyTo());
        if (refusal.isPresent()) {
            deadLetter(outcome, record, refusal.get() + "; nothing was applied");
            return false;
        }
        if (!replyTopics.exists(to.replyTo())) {
            deadLetter(outcome, record, "reply topic '" + to.replyTo() + "' does not exist; nothing was applied");
            return false;
        }
        return true;
    }

    private void execute(
            CommandOutcome outcome, Record<String, byte[]> record, ReplyAddress to, CommandEnvelope envelope) {
        String projectId = record.key();
        if (!ProjectIds.isValid(projectId)) {
            reply(
                    outcome,
                    record,
                    PoolResult.of(to, ErrorCode.INVALID_PROJECT.response("The record key must be the project ID.")));
            return;
        }
        Optional<ProjectRecord> project = ProjectSettingsStore.project(projects, projectId);
        if (project.isEmpty()) {
            reply(
                    outcome,
                    record,
                    PoolResult.of(
                            to,
                            ErrorCode.INVALID_PROJECT.response(
                                    "Project '" + projectId + "' is not in the project registry.")));
            return;
        }
        // Every read and check, with the writes only staged.
        PoolStores.Staged staged = stores.stage();
        long now = context.currentSystemTimeMs();
        TokenPool pool = new TokenPool(project.get(), staged, now);
        PoolCommand command = envelope.command();
        String idempotencyKey = command.readsOnly() ? null : envelope.idempotencyKey();
        Answer answer;
        try {
            Optional<ErrorResponse> overQuota = pool.countAgainstDailyQuota();
            if (overQuota.isPresent()) {
                answer = new Answer(
                        PoolResult.retryLater(to, overQuota.get(), RateLimit.secondsToNextDay(now)), overQuota.get());
            } else if (idempotencyKey == null) {
                answer = Answer.of(to, apply(pool, command, RecordTimes.registrationTime(record.timestamp(), now)));
            } else {
                answer = applyOnce(outcome, record, to, projectId, pool, command, idempotencyKey, now);
            }
        } catch (KafkaException e) {
            throw e; // the state store itself failed: Streams retries the command
        } catch (RuntimeException e) {
            log.error("command {} of project {} failed; nothing was written", envelope.correlationId(), projectId, e);
            reply(outcome, record, PoolResult.of(to, ErrorCode.INTERNAL_SERVER_ERROR.response()));
            return;
        }
        // The writes, the result, the events and the audit record go out together, in the command's transaction.
        outcome.write(staged);
        log.debug("{} {} of project {}", command.type(), envelope.correlationId(), projectId);
        reply(outcome, record, answer.result());
        outcome.events(projectId, pool.events(), now);
        if (answer.body() != null) { // a replay changed nothing: nothing to audit
            Audit.ofCommand(projectId, envelope, answer.body(), now).ifPresent(audit -> outcome.audit(audit, now));
        }
    }

    /** A command's result, and the body that was worked out for it (null for a stored result answered again). */
    private record Answer(PoolResult result, ResponseBody body) {
        static Answer of(ReplyAddress to, ResponseBody body) {
            return new Answer(PoolResult.of(to, body), body);
        }
    }

    /**
     * Applies a command with an idempotency key once: the first time its result is stored with it, in this
     * transaction; a retry with the same content gets that result again, anything else under the key is refused.
     */
    private Answer applyOnce(
            CommandOutcome outcome,
            Record<String, byte[]> record,
            ReplyAddress to,
            String projectId,
            TokenPool pool,
            PoolCommand command,
            String key,
            long now) {
        StagedStore storedResults = new StagedStore(stores.idempotency());
        StoredResults results = new StoredResults(
                storedResults, projectId, settings.idempotencyRetention(), settings.maxIdempotencyKeys(), now);
        byte[] fingerprint = StoredResults.fingerprint(CommandCodec.content(command));
        return switch (results.check(key, fingerprint)) {
            case StoredResults.Replay replay -> {
                metrics.replayed();
                yield new Answer(PoolResult.replay(to, replay.stored().status(), replay.body()), null);
            }
            case StoredResults.Reused reused -> {
                metrics.refused();
                yield Answer.of(to, ErrorCode.IDEMPOTENCY_KEY_REUSED.response());
            }
            case StoredResults.Full full -> {
                metrics.refused();
                ErrorResponse refusal = ErrorCode.IDEMPOTENCY_KEY_LIMIT_EXCEEDED.response(
                        "This project holds " + settings.maxIdempotencyKeys() + " idempotency keys, the most it may: "
                                + "nothing was applied. Retry after the time Retry-After says, or without a key.");
                yield new Answer(PoolResult.retryLater(to, refusal, full.retryAfterSeconds()), refusal);
            }
            case StoredResults.Fresh fresh -> {
                Answer first =
                        Answer.of(to, apply(pool, command, RecordTimes.registrationTime(record.timestamp(), now)));
                if (StoredResults.keeps(first.result().status())) {
                    results.store(
                            key,
                            fingerprint,
                            first.result().status(),
                            Json.write(first.result().body()));
                    outcome.writeResults(storedResults);
                }
                yield first;
            }
        };
    }

    private static ResponseBody apply(TokenPool pool, PoolCommand command, long timestamp) {
        return switch (command) {
            case PoolCommand.AddTokens add -> pool.add(add.tokenIds(), timestamp);
            case PoolCommand.DeleteTokens delete -> pool.delete(delete.tokenIds());
            case PoolCommand.DeleteByOrder delete -> pool.deleteByOrder(delete.count(), delete.order());
            case PoolCommand.GetToken get -> pool.find(get.tokenId());
            case PoolCommand.UseToken use -> pool.use(use.tokenId());
            case PoolCommand.ListTokens list -> pool.list(list.from());
            case PoolCommand.CountTokens count -> pool.countTokens();
        };
    }

    /** Sent at processing time: a result must not outlive its reply topic's retention by carrying a producer's odd timestamp. */
    private void reply(Outbox outbox, Record<String, byte[]> record, PoolResult result) {
        outbox.send(
                new Record<>(record.key(), result, context.currentSystemTimeMs()), TokenPoolTopology.REPLIES_SINK_NODE);
    }

    private void deadLetter(Outbox outbox, Record<String, byte[]> record, String reason) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        log.warn("dead letter from {}: {}", where(source), reason);
        outbox.send(
                DeadLetters.of(record, reason, source, context.currentSystemTimeMs()),
                TokenPoolTopology.DEAD_LETTERS_SINK_NODE);
    }

    private static String where(RecordMetadata source) {
        return source == null ? "?" : FailedRecords.where(source);
    }
}
