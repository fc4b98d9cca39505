/**
 * Logging that unauthenticated peers cannot turn into a flood: rejected requests and payloads are
 * logged within a budget per time window, the rest counted and summarized.
 */
package dev.kernelpool.bridge.logging;
