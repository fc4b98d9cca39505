package dev.kernelpool.bridge.claim;

import dev.kernelpool.bridge.backend.KernelProcess;
import java.util.Optional;

/** What a claim came to, with the HTTP status the claim API answers with. */
public sealed interface ClaimOutcome permits ClaimOutcome.Hit, ClaimOutcome.Miss, ClaimOutcome.Failed {
  int status();

  String result();

  /**
   * A warm kernel was handed to EG.
   *
   * @param resize what resizing it to the request's resources came to ({@code not_needed} locally)
   * @param process the kernel's local process, for a launch script that stays as its stand-in
   */
  record Hit(String poolKernel, double claimMillis, String resize, Optional<KernelProcess> process)
      implements ClaimOutcome {
    @Override
    public int status() {
      return 200;
    }

    @Override
    public String result() {
      return "hit";
    }
  }

  /** No warm kernel matched; the script launches cold. */
  record Miss(String reason, String message) implements ClaimOutcome {
    @Override
    public int status() {
      return 404;
    }

    @Override
    public String result() {
      return "miss";
    }
  }

  /** A kernel was taken but could not be handed over; it was discarded, the script launches cold. */
  record Failed(String reason, String message) implements ClaimOutcome {
    @Override
    public int status() {
      return 502;
    }

    @Override
    public String result() {
      return "error";
    }
  }
}
