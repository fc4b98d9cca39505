package dev.kernelpool.core.plan;

import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.PoolProfile;

/**
 * What the plan wants for one profile.
 *
 * @param expectedLaunches forecast launches within the demand horizon
 * @param desired what demand and the profile rule ask for, before the budget
 * @param target what the budget allows of it
 * @param live live members kept by this plan (after its deletions, before its creations)
 * @param footprint what one warm member is charged
 */
public record ProfileTarget(
    PoolProfile profile,
    double expectedLaunches,
    int desired,
    int target,
    int live,
    Resources footprint) {}
