package dev.tokenpool.schemas;

/** Answer to GET ?type=count: {success, count}. */
public record TokenCount(boolean success, long count) implements ResponseBody {
    public static TokenCount of(long count) {
        return new TokenCount(true, count);
    }
}
