package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Answer to POST: success, message, summary and, only when tokens failed, details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddTokensResponse(boolean success, String message, Summary summary, Details details)
        implements ResponseBody {

    public static final String ALL_IN_POOL = "All tokens are now in the pool";
    public static final String SOME_FAILED = "Some tokens failed to process";

    public record Summary(int totalSubmitted, long currentCount, int processed, int failed) {}

    public record Details(List<FailedToken> failed) {}

    public static AddTokensResponse of(int totalSubmitted, long currentCount, List<FailedToken> failed) {
        boolean allProcessed = failed.isEmpty();
        return new AddTokensResponse(
                allProcessed,
                allProcessed ? ALL_IN_POOL : SOME_FAILED,
                new Summary(totalSubmitted, currentCount, totalSubmitted - failed.size(), failed.size()),
                allProcessed ? null : new Details(List.copyOf(failed)));
    }
}
