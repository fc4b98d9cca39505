/**
 * Simulator inputs: launch traces and quota files in CSV (with line-numbered errors), and a
 * generator of synthetic traces for named, seeded scenarios.
 */
package dev.kernelpool.core.sim.trace;
