/**
 * Quota-aware sizing: how much of a namespace's quota the pool may hold (the 10% rule), how much
 * room is left under the usage ceiling (the 95% rule), and the small footprint a warm kernel is
 * charged before it is claimed.
 */
package dev.kernelpool.core.quota;
