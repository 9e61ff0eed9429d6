package dev.tokenpool.processor;

/** The most tokens a project's pool may hold. */
@FunctionalInterface
interface PoolLimitLookup {
    long poolLimit(String projectId);
}
