package dev.kernelpool.bridge.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.kernel.ExecuteResult;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes a warm kernel the requester's: one silent execute that
 *
 * <ul>
 *   <li>replaces the environment the kernel started with by the launch's own ({@link
 *       Personalization#environ}), where the backend asks for it: variables the kernel set itself
 *       while starting stay, as they would in a cold kernel;
 *   <li>puts {@code KERNEL_ID} and the request's {@code KERNEL_*} values into {@code os.environ};
 *   <li>changes to {@code KERNEL_WORKING_DIR} when it exists;
 *   <li>where the launch script stays as the kernel's stand-in, starts a thread that ends the
 *       kernel when that process ends (EG killed it), so the two live exactly as long;
 *   <li>then runs the operator's extra code.
 * </ul>
 *
 * Values travel as JSON string literals, so no value can break out of the code.
 */
public final class Personalizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String extraCode;

  public Personalizer(String extraCode) {
    this.extraCode = extraCode == null ? "" : extraCode;
  }

  /**
   * What to make of a kernel for one claim.
   *
   * @param env the request's {@code KERNEL_*} values
   * @param environ the launch's whole environment, with the names the kernel started with that it
   *     replaces; empty to keep the kernel's environment
   * @param holderPid the process whose end ends the kernel
   */
  public record Personalization(
      String kernelId, Map<String, String> env, Optional<EnvironmentSwap> environ, OptionalLong holderPid) {
    public Personalization {
      env = Map.copyOf(env);
    }

    /** Just the request's {@code KERNEL_*} values. */
    public static Personalization of(String kernelId, Map<String, String> env) {
      return new Personalization(kernelId, env, Optional.empty(), OptionalLong.empty());
    }
  }

  /** The launch's environment, replacing the variables named in {@code startedWith}. */
  public record EnvironmentSwap(Map<String, String> environ, Set<String> startedWith) {
    public EnvironmentSwap {
      environ = Map.copyOf(environ);
      startedWith = Set.copyOf(startedWith);
    }
  }

  /** Thrown when the kernel did not accept the personalization. */
  public static final class PersonalizationException extends Exception {
    private static final long serialVersionUID = 1L;

    public PersonalizationException(String message) {
      super(message);
    }
  }

  /** The Python code for just the request's {@code KERNEL_*} values. */
  public String code(String kernelId, Map<String, String> env) {
    return code(Personalization.of(kernelId, env));
  }

  /** The Python code for a claim. */
  public String code(Personalization p) {
    Map<String, String> values = new TreeMap<>(p.env());
    values.put("KERNEL_ID", p.kernelId());
    StringBuilder code = new StringBuilder("import os as _kp_os, json as _kp_json\n");
    p.environ().ifPresent(swap -> code
        .append("for _kp_k in _kp_json.loads(").append(literal(new TreeSet<>(swap.startedWith()))).append("):\n")
        .append("    _kp_os.environ.pop(_kp_k, None)\n")
        .append("_kp_os.environ.update(_kp_json.loads(").append(literal(new TreeMap<>(swap.environ()))).append("))\n")
        .append("_kp_k = None\ndel _kp_k\n"));
    code.append("_kp_os.environ.update(_kp_json.loads(").append(literal(values)).append("))\n")
        .append("_kp_wd = _kp_os.environ.get('KERNEL_WORKING_DIR')\n")
        .append("if _kp_wd and _kp_os.path.isdir(_kp_wd):\n")
        .append("    _kp_os.chdir(_kp_wd)\n");
    p.holderPid().ifPresent(pid -> code.append(HOLDER_WATCH).append("_kp_watch(").append(pid).append(")\ndel _kp_watch\n"));
    code.append("del _kp_os, _kp_json, _kp_wd\n").append(extraCode);
    return code.toString();
  }

  /**
   * Ends the kernel process when the holder ends: a pidfd where the kernel has one, else polling.
   * The holder is the launch script EG watches; it is alive while the claim runs.
   */
  private static final String HOLDER_WATCH =
      String.join("\n",
          "def _kp_watch(pid):",
          "    import os, select, threading, time",
          "    def watch():",
          "        try:",
          "            fd = os.pidfd_open(pid)",
          "        except ProcessLookupError:",
          "            os._exit(0)",
          "        except (AttributeError, OSError):",
          "            fd = None",
          "        while True:",
          "            if fd is not None:",
          "                if select.select([fd], [], [], 5.0)[0]:",
          "                    break",
          "                continue",
          "            time.sleep(0.5)",
          "            try:",
          "                os.kill(pid, 0)",
          "            except ProcessLookupError:",
          "                break",
          "            except PermissionError:",
          "                pass",
          "        os._exit(0)",
          "    threading.Thread(target=watch, name='kernel-pool-holder', daemon=True).start()",
          "");

  private static String literal(Object value) {
    try {
      return JSON.writeValueAsString(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A personalization sent to a kernel, not yet confirmed. */
  public record Pending(KernelClient client, String msgId) {}

  /**
   * Sends the personalization without waiting: the kernel runs it before anything sent to it
   * later (EG's first requests among them), so the hand-off need not wait for it; {@link #confirm}
   * then checks it ran.
   */
  public Pending send(KernelClient client, Personalization personalization) {
    return new Pending(client, client.sendSilentExecute(code(personalization)));
  }

  /** Waits for the kernel's answer to a sent personalization; throws unless it ran cleanly. */
  public void confirm(Pending pending, Duration timeout) throws PersonalizationException {
    ExecuteResult result;
    try {
      result = pending.client().awaitReply(pending.msgId(), timeout);
    } catch (KernelTimeoutException e) {
      throw new PersonalizationException("kernel did not answer: " + e.getMessage());
    }
    check(result);
  }

  private static void check(ExecuteResult result) throws PersonalizationException {
    if (!result.isOk()) {
      throw new PersonalizationException(
          "personalization failed in the kernel: " + result.reply().content().path("ename").asText("error"));
    }
  }
}
