package dev.tokenpool.schemas;

/** Answer to DELETE of N tokens by registration order: {success, message, summary{deleted, failed}}. */
public record DeleteByOrderResponse(boolean success, String message, Summary summary) implements ResponseBody {

    public record Summary(int deleted, int failed) {}

    public static DeleteByOrderResponse of(int deleted) {
        return new DeleteByOrderResponse(true, DeleteTokensResponse.deletedMessage(deleted), new Summary(deleted, 0));
    }
}
