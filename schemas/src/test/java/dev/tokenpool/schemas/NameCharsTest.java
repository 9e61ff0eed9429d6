package dev.tokenpool.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameCharsTest {

    @Test
    void shouldAcceptProjectIdsOfLettersDigitsDotsUnderscoresAndDashesUpTo64() {
        assertThat(ProjectIds.isValid("p-Abc_09.x")).isTrue();
        assertThat(ProjectIds.isValid("a".repeat(64))).isTrue();
        assertThat(ProjectIds.isValid("a".repeat(65))).isFalse();
        assertThat(ProjectIds.isValid("")).isFalse();
        assertThat(ProjectIds.isValid(null)).isFalse();
        for (String bad : new String[] {"p 1", "p/1", "p\u00001", "pé", "p:1", "p+1"}) {
            assertThat(ProjectIds.isValid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void shouldAcceptReplyTopicsKafkaAccepts() {
        assertThat(CommandEnvelope.isTopicName("tokenpool.replies.gw-1_a")).isTrue();
        assertThat(CommandEnvelope.isTopicName("t".repeat(249))).isTrue();
        assertThat(CommandEnvelope.isTopicName("t".repeat(250))).isFalse();
        assertThat(CommandEnvelope.isTopicName(".")).isFalse();
        assertThat(CommandEnvelope.isTopicName("..")).isFalse();
        assertThat(CommandEnvelope.isTopicName("...")).isTrue();
        assertThat(CommandEnvelope.isTopicName("replies/1")).isFalse();
        assertThat(CommandEnvelope.isTopicName("")).isFalse();
    }
}
