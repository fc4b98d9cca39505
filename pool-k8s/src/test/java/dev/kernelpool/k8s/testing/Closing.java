package dev.kernelpool.k8s.testing;

/** Closes what a test started, in the order given, skipping what never started (null). */
public final class Closing {
  private Closing() {}

  /** Closes each non-null resource; every one is tried, the first failure is thrown at the end. */
  public static void all(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
