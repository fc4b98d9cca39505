package dev.kernelpool.bridge.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kernelpool.bridge.kernel.ExecuteResult;
import dev.kernelpool.bridge.kernel.KernelClient;
import dev.kernelpool.bridge.kernel.KernelTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a warm kernel the requester's: a silent execute that puts {@code KERNEL_ID} and the
 * request's {@code KERNEL_*} values into {@code os.environ}, changes to {@code
 * KERNEL_WORKING_DIR} when it exists, then runs the operator's extra code. Values travel as a JSON
 * string literal, so no value can break out of the code.
 */
public final class Personalizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String extraCode;

  public Personalizer(String extraCode) {
    this.extraCode = extraCode == null ? "" : extraCode;
  }

  /** Thrown when the kernel did not accept the personalization. */
  public static final class PersonalizationException extends Exception {
    private static final long serialVersionUID = 1L;

    public PersonalizationException(String message) {
      super(message);
    }
  }

  /** The Python code for a request. */
  public String code(String kernelId, Map<String, String> env) {
    Map<String, String> values = new TreeMap<>(env);
    values.put("KERNEL_ID", kernelId);
    String literal;
    try {
      literal = JSON.writeValueAsString(JSON.writeValueAsString(values));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return "import os as _kp_os, json as _kp_json\n"
        + "_kp_os.environ.update(_kp_json.loads(" + literal + "))\n"
        + "_kp_wd = _kp_os.environ.get('KERNEL_WORKING_DIR')\n"
        + "if _kp_wd and _kp_os.path.isdir(_kp_wd):\n"
        + "    _kp_os.chdir(_kp_wd)\n"
        + "del _kp_os, _kp_json, _kp_wd\n"
        + extraCode;
  }

  public void apply(KernelClient client, String kernelId, Map<String, String> env, Duration timeout)
      throws PersonalizationException {
    ExecuteResult result;
    try {
      result = client.execute(code(kernelId, env), true, Map.of(), timeout, false);
    } catch (KernelTimeoutException e) {
      throw new PersonalizationException("kernel did not answer: " + e.getMessage());
    }
    if (!result.isOk()) {
      throw new PersonalizationException(
          "personalization failed in the kernel: " + result.reply().content().path("ename").asText("error"));
    }
  }
}
