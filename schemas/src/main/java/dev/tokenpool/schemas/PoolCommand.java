package dev.tokenpool.schemas;

import java.util.List;

/** What a client asks of one project's pool. Each command has a wire type name. */
public sealed interface PoolCommand {

    String type();

    /**
     * Whether the command only reads the pool (a lookup, a list page, a count), so a copy of the stores
     * can answer it. Exhaustive on purpose: a new command has to say which it is.
     */
    default boolean readsOnly() {
        return switch (this) {
            case GetToken get -> true;
            case ListTokens list -> true;
            case CountTokens count -> true;
            case AddTokens add -> false;
            case DeleteTokens delete -> false;
            case DeleteByOrder delete -> false;
            case UseToken use -> false;
        };
    }

    /** Register token IDs (POST). */
    record AddTokens(List<String> tokenIds) implements PoolCommand {
        public static final String TYPE = "add_tokens";

        public AddTokens {
            tokenIds = List.copyOf(tokenIds);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Delete the named token IDs (DELETE with tokenId). */
    record DeleteTokens(List<String> tokenIds) implements PoolCommand {
        public static final String TYPE = "delete_tokens";

        public DeleteTokens {
            tokenIds = List.copyOf(tokenIds);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Delete up to {@code count} tokens from one end of the registration order (DELETE with count, order). */
    record DeleteByOrder(int count, Order order) implements PoolCommand {
        public static final String TYPE = "delete_by_order";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Look up one token (GET ?tokenId=). */
    record GetToken(String tokenId) implements PoolCommand {
        public static final String TYPE = "get_token";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Use one token, as the service that consumes it does (POST /use): counts a use, may expire it. */
    record UseToken(String tokenId) implements PoolCommand {
        public static final String TYPE = "use_token";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * One page of the pool in registration order (GET without tokenId). The first page has no page key;
     * the next starts at the key the previous answer gave ({@link PageKey}).
     */
    record ListTokens(PageKey from) implements PoolCommand {
        public static final String TYPE = "list_tokens";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** How many tokens the pool holds (GET ?type=count). */
    record CountTokens() implements PoolCommand {
        public static final String TYPE = "count_tokens";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
