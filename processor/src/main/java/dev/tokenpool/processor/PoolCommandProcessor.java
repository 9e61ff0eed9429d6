package dev.tokenpool.processor;

import dev.tokenpool.schemas.CommandCodec;
import dev.tokenpool.schemas.CommandEnvelope;
import dev.tokenpool.schemas.DecodedCommand;
import dev.tokenpool.schemas.ErrorCode;
import dev.tokenpool.schemas.PoolCommand;
import dev.tokenpool.schemas.PoolResult;
import dev.tokenpool.schemas.ProjectIds;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.ReplyAddress;
import dev.tokenpool.schemas.ResponseBody;
import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one command record, applies it to its project's pool and forwards the result to the
 * command's reply topic. Every record ends as a result or a dead letter: nothing a producer writes
 * can stop the topology. The reply address is checked first: a command whose result could not be
 * delivered (a topic results may not go to, or one that does not exist) is a dead letter and changes
 * nothing.
 */
final class PoolCommandProcessor implements Processor<String, byte[], String, Object> {
    private static final Logger log = LoggerFactory.getLogger(PoolCommandProcessor.class);

    private final ReplyPolicy replyPolicy;
    private final ReplyTopics replyTopics;
    private final TopologySettings settings;
    private final CommittedCommands commits;
    private ProcessorContext<String, Object> context;
    private PoolStores stores;
    private ReadOnlyKeyValueStore<String, byte[]> projects;
    private Outbox outbox;
    private RulesSchedule rules;

    PoolCommandProcessor(TopologySettings settings, ReplyTopics replyTopics, CommittedCommands commits) {
        this.settings = settings;
        this.commits = commits;
        this.replyPolicy = new ReplyPolicy(settings);
        this.replyTopics = replyTopics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = PoolStores.from(context);
        this.projects = context.getStateStore(ProjectSettingsStore.STORE);
        this.outbox = new Outbox(context);
        this.rules = new RulesSchedule(context, new ProjectRules(stores, projects, outbox, settings.rulesBudget()),
                settings.volumeDeletionInterval());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        context.recordMetadata().ifPresent(source -> commits.processed(source.partition(), source.offset()));
        switch (CommandCodec.decode(record.value())) {
            case DecodedCommand.Unreadable unreadable -> deadLetter(record, unreadable.reason());
            case DecodedCommand.Refused refused -> {
                if (deliverable(record, refused.replyAddress())) {
                    log.debug("refused command {} of project {}: {}", refused.replyAddress().correlationId(),
                            record.key(), refused.error().errorMessage());
                    reply(record, PoolResult.of(refused.replyAddress(), refused.error()));
                }
            }
            case DecodedCommand.Accepted accepted -> {
                ReplyAddress to = new ReplyAddress(accepted.envelope().correlationId(), accepted.envelope().replyTo());
                if (deliverable(record, to)) {
                    execute(record, to, accepted.envelope());
                }
            }
        }
    }

    /** Whether a result can go to the reply address; if not, the record is a dead letter. */
    private boolean deliverable(Record<String, byte[]> record, ReplyAddress to) {
        Optional<String> refusal = replyPolicy.refusal(to.replyTo());
        if (refusal.isPresent()) {
            deadLetter(record, refusal.get() + "; nothing was applied");
            return false;
        }
        if (!replyTopics.exists(to.replyTo())) {
            deadLetter(record, "reply topic '" + to.replyTo() + "' does not exist; nothing was applied");
            return false;
        }
        return true;
    }

    private void execute(Record<String, byte[]> record, ReplyAddress to, CommandEnvelope envelope) {
        String projectId = record.key();
        if (!ProjectIds.isValid(projectId)) {
            reply(record, PoolResult.of(to, ErrorCode.INVALID_PROJECT.response("The record key must be the project ID.")));
            return;
        }
        Optional<ProjectRecord> project = ProjectSettingsStore.project(projects, projectId);
        if (project.isEmpty()) {
            reply(record, PoolResult.of(to, ErrorCode.INVALID_PROJECT.response(
                    "Project '" + projectId + "' is not in the project registry.")));
            return;
        }
        // Plan: every read and check, with the writes only staged. A failure here has written nothing.
        PoolStores.Staged staged = stores.stage();
        long now = context.currentSystemTimeMs();
        TokenPool pool = new TokenPool(project.get(), staged, now);
        ResponseBody body;
        try {
            body = apply(pool, envelope.command(), record.timestamp());
        } catch (StreamsException e) {
            throw e; // the state store itself failed: abort the transaction, Streams retries the command
        } catch (RuntimeException e) {
            log.error("command {} of project {} failed; nothing was written", envelope.correlationId(), projectId, e);
            reply(record, PoolResult.of(to, ErrorCode.INTERNAL_SERVER_ERROR.response()));
            return;
        }
        // Apply: the writes, the result, the events and the audit record go out in the same Kafka transaction.
        // Anything thrown from here on aborts that transaction, so no partial write is ever committed.
        staged.flush();
        rules.wake(); // the pool may now hold tokens under a TTL
        log.debug("{} {} of project {}", envelope.command().type(), envelope.correlationId(), projectId);
        reply(record, PoolResult.of(to, body));
        outbox.events(projectId, pool.events(), now);
        Audit.ofCommand(projectId, envelope, body, now).ifPresent(audit -> outbox.audit(audit, now));
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

    private void reply(Record<String, byte[]> record, PoolResult result) {
        context.forward(new Record<String, Object>(record.key(), result, record.timestamp()),
                TokenPoolTopology.REPLIES_SINK_NODE);
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        log.warn("dead letter from {}: {}", context.recordMetadata().map(m -> m.topic() + "-" + m.partition()
                + "@" + m.offset()).orElse("?"), reason);
        context.forward(DeadLetters.of(record, reason, context.recordMetadata().orElse(null)),
                TokenPoolTopology.DEAD_LETTERS_SINK_NODE);
    }
}
