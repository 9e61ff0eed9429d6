package dev.tokenpool.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

class RulesScheduleTest {
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final AtomicBoolean work = new AtomicBoolean();
    private final List<Long> rounds = new ArrayList<>();
    private final List<Long> volumeChecks = new ArrayList<>();
    private final RulesSchedule schedule = new RulesSchedule(
            context,
            now -> {
                rounds.add(now);
                return work.get();
            },
            volumeChecks::add,
            Duration.ofMinutes(5));

    /** The pending rounds: the first one after a wake, or the ones every second after it. */
    private List<CapturedPunctuator> everySecond() {
        return context.scheduledPunctuators().stream()
                .filter(p -> (p.getInterval().equals(ProjectRules.EVERY)
                                || p.getInterval().equals(RulesSchedule.FIRST_ROUND_AFTER))
                        && !p.cancelled())
                .toList();
    }

    @Test
    void shouldRunAFirstRoundThenStopWhenItFindsNoWork() {
        assertThat(everySecond()).hasSize(1);
        everySecond().getFirst().getPunctuator().punctuate(1_000);
        assertThat(rounds).containsExactly(1_000L);
        assertThat(everySecond())
                .as("no pool has work: no more rounds, no more commits")
                .isEmpty();
    }

    @Test
    void shouldKeepRunningEverySecondWhileThereIsWork() {
        work.set(true);
        CapturedPunctuator first = everySecond().getFirst();
        assertThat(first.getInterval())
                .as("the first round, half a second after the wake")
                .isEqualTo(RulesSchedule.FIRST_ROUND_AFTER);
        first.getPunctuator().punctuate(500);
        CapturedPunctuator rounds = everySecond().getFirst();
        assertThat(rounds.getInterval()).isEqualTo(ProjectRules.EVERY);
        rounds.getPunctuator().punctuate(1_500);
        rounds.getPunctuator().punctuate(2_500);
        assertThat(everySecond()).containsExactly(rounds);
        assertThat(this.rounds).containsExactly(500L, 1_500L, 2_500L);
    }

    @Test
    void shouldWakeOnceForACommandAndForTheLookAndAfterTheVolumeCheck() {
        everySecond().getFirst().getPunctuator().punctuate(1_000);
        schedule.wake();
        schedule.wake();
        assertThat(everySecond()).as("woken twice, scheduled once").hasSize(1);
        everySecond().getFirst().getPunctuator().punctuate(2_000);
        assertThat(everySecond()).isEmpty();

        punctuatorEvery(RulesSchedule.LOOK_EVERY).getPunctuator().punctuate(30_000);
        assertThat(everySecond()).hasSize(1);
        everySecond().getFirst().getPunctuator().punctuate(31_000);

        punctuatorEvery(Duration.ofMinutes(5)).getPunctuator().punctuate(300_000);
        assertThat(volumeChecks).containsExactly(300_000L);
        assertThat(everySecond())
                .as("a volume deletion the check started goes on in the rounds")
                .hasSize(1);
    }

    private CapturedPunctuator punctuatorEvery(Duration interval) {
        return context.scheduledPunctuators().stream()
                .filter(p -> p.getInterval().equals(interval))
                .findFirst()
                .orElseThrow();
    }
}
