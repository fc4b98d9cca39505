/**
 * Automatic discovery of the namespaces that get a pool: opt-in and opt-out labels, a quota (or
 * a default budget), and recent launches.
 */
package dev.kernelpool.core.eligibility;
