package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Answer to GET without tokenId: one page of the pool in registration order, oldest first, with the
 * pool's count; {@code nextPageKeyId}/{@code nextPageKeyTime} when more tokens follow (see {@link PageKey}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenList(boolean success, long count, List<Entry> data, String nextPageKeyId, String nextPageKeyTime)
        implements ResponseBody {
    /** The most tokens one page holds. */
    public static final int MAX_PAGE = 10_000;

    public record Entry(String tokenId, String updateTime, boolean expired) {}

    public static TokenList of(long count, List<Entry> page, PageKey next) {
        return new TokenList(
                true, count, page, next == null ? null : next.tokenId(), next == null ? null : next.time());
    }
}
