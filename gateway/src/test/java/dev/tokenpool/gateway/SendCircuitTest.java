package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendCircuitTest {
    long now = 0;
    final SendCircuit circuit = new SendCircuit(() -> now);

    @Test
    void shouldSendEverythingWhileKafkaAnswers() {
        assertThat(circuit.allowSend()).isTrue();
        assertThat(circuit.allowSend()).isTrue();
        assertThat(circuit.isClosed()).isTrue();
    }

    @Test
    void shouldRefuseAllButOneTrialASecondOnceASendTimedOut() {
        circuit.timedOut();
        assertThat(circuit.isClosed()).isFalse();
        assertThat(circuit.allowSend()).as("right after the timeout").isFalse();
        now += SendCircuit.TRIAL_EVERY.toNanos();
        assertThat(circuit.allowSend()).as("one trial").isTrue();
        assertThat(circuit.allowSend()).as("only one").isFalse();
        now += SendCircuit.TRIAL_EVERY.toNanos();
        assertThat(circuit.allowSend()).as("the next second's trial").isTrue();
    }

    @Test
    void shouldCloseWhenASendIsAcknowledged() {
        circuit.timedOut();
        circuit.acknowledged();
        assertThat(circuit.isClosed()).isTrue();
        assertThat(circuit.allowSend()).isTrue();
    }
}
