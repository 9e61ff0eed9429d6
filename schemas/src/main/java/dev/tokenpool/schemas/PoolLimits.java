package dev.tokenpool.schemas;

/** The limits of the public API. */
public final class PoolLimits {
    /** Token IDs in one POST or one DELETE by IDs. */
    public static final int MAX_IDS_PER_REQUEST = 500;
    /** Tokens one time-based DELETE may remove. */
    public static final int MAX_DELETE_BY_ORDER = 5_000;
    /** Tokens one project's pool holds unless the project has its own limit. */
    public static final long DEFAULT_POOL_LIMIT = 100_000;
    /** The largest limit a project may have. */
    public static final long MAX_POOL_LIMIT = 10_000_000;

    private PoolLimits() {}
}
