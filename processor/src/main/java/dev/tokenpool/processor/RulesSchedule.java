package dev.tokenpool.processor;

import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * When a task's {@link ProjectRules} run. Kafka Streams commits a transaction after every punctuation,
 * so rounds every second in every task would keep an idle processor committing: the one-second rounds
 * are scheduled only while a pool has work for them, and stop when a round finds none. Anything that
 * may bring work wakes them: a command on the task's pools, the volume check, and a look every
 * {@link #LOOK_EVERY} (a TTL set on a pool that gets no commands, stored results of idempotency keys that
 * reached their retention).
 */
final class RulesSchedule {
    static final Duration LOOK_EVERY = Duration.ofSeconds(30);
    /**
     * A woken schedule's first round comes this long after the command that woke it, then one a
     * second: TTLs are whole seconds, so rounds half a second off a token's registration do not fall
     * just before its deadline (which would leave it to the next round, a second later).
     */
    static final Duration FIRST_ROUND_AFTER = Duration.ofMillis(500);

    private final ProcessorContext<?, ?> context;
    private final LongPredicate round;
    private Cancellable rounds;

    RulesSchedule(ProcessorContext<?, ?> context, ProjectRules rules, Duration volumeCheckInterval) {
        this(context, rules::run, rules::checkVolumes, volumeCheckInterval);
    }

    /** {@code round} runs a round at a time and says whether the next one has work. */
    RulesSchedule(
            ProcessorContext<?, ?> context,
            LongPredicate round,
            LongConsumer volumeCheck,
            Duration volumeCheckInterval) {
        this.context = context;
        this.round = round;
        context.schedule(volumeCheckInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            volumeCheck.accept(now);
            wake();
        });
        context.schedule(LOOK_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> wake());
        wake(); // the first round finds out whether the pools restored for this task have work
    }

    /** Makes sure a round runs within a second. */
    void wake() {
        if (rounds == null) {
            rounds = context.schedule(FIRST_ROUND_AFTER, PunctuationType.WALL_CLOCK_TIME, this::firstRound);
        }
    }

    private void firstRound(long nowMillis) {
        rounds.cancel();
        rounds = context.schedule(ProjectRules.EVERY, PunctuationType.WALL_CLOCK_TIME, this::round);
        round(nowMillis);
    }

    private void round(long nowMillis) {
        if (!round.test(nowMillis) && rounds != null) {
            rounds.cancel();
            rounds = null;
        }
    }
}
