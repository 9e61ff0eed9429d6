package dev.tokenpool.schemas;

/**
 * Volume-based automatic deletion: when a pool holds at least {@code startRatio} × its limit, delete
 * {@code deleteRatio} × its count from the {@code order} end (asc: oldest first).
 */
public record VolumeDeletion(double startRatio, double deleteRatio, Order order) {
    public VolumeDeletion {
        if (!(startRatio > 0 && startRatio <= 1) || !(deleteRatio > 0 && deleteRatio <= 1) || order == null) {
            throw new IllegalArgumentException(
                    "startRatio and deleteRatio must be above 0 and at most 1, with an order");
        }
    }

    /** How many tokens to delete from a pool of {@code count} under {@code poolLimit}; 0 below the threshold. */
    public long tokensToDelete(long count, long poolLimit) {
        if (count == 0 || count < Math.ceil(startRatio * poolLimit)) {
            return 0;
        }
        return target(count);
    }

    /** How many tokens a deletion that started on a pool of {@code startCount} deletes in all, at this ratio. */
    public long target(long startCount) {
        return Math.max(1, (long) Math.floor(deleteRatio * startCount));
    }
}
