/**
 * The pool policies the simulator compares, one class each behind {@link
 * dev.kernelpool.core.sim.policy.SimPolicy}, registered by name in {@link
 * dev.kernelpool.core.sim.policy.Policies}.
 */
package dev.kernelpool.core.sim.policy;
