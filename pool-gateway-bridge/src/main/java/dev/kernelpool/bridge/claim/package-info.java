/**
 * The claim path: the versioned claim request the launch script sends, the profile a request
 * would produce, the personalization of a taken kernel, and the hand-off of its connection info
 * to Enterprise Gateway.
 */
package dev.kernelpool.bridge.claim;
