package dev.tokenpool.schemas;

/** What reading one command record gave. */
public sealed interface DecodedCommand {

    /** A well-formed command, ready for the pool. */
    record Accepted(CommandEnvelope envelope) implements DecodedCommand {}

    /** The reply address could be read but the command is not valid: answer with {@code error}. */
    record Refused(ReplyAddress replyAddress, ErrorResponse error) implements DecodedCommand {}

    /** Not even the reply address could be read: nobody can be answered. */
    record Unreadable(String reason) implements DecodedCommand {}
}
