package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Answer to DELETE by token IDs. {@code details} appears only when some IDs were not found or
 * failed, and inside it each list only when it is not empty.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeleteTokensResponse(boolean success, String message, Summary summary, Details details)
        implements ResponseBody {

    public record Summary(int totalSubmitted, int deleted, int notFound, int failed) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Details(List<String> notFound, List<FailedToken> failed) {}

    public static DeleteTokensResponse of(
            int totalSubmitted, int deleted, List<String> notFound, List<FailedToken> failed) {
        boolean clean = notFound.isEmpty() && failed.isEmpty();
        return new DeleteTokensResponse(
                clean,
                deletedMessage(deleted),
                new Summary(totalSubmitted, deleted, notFound.size(), failed.size()),
                clean ? null : new Details(List.copyOf(notFound), List.copyOf(failed)));
    }

    static String deletedMessage(int deleted) {
        return "Successfully deleted " + deleted + " tokens";
    }
}
