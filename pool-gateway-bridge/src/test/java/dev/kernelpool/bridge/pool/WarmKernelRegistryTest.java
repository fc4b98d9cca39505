package dev.kernelpool.bridge.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.launcher.LauncherResponse;
import dev.kernelpool.bridge.wire.ConnectionInfo;
import dev.kernelpool.core.resource.Resources;
import dev.kernelpool.core.snapshot.MemberState;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmKernelRegistryTest {
  private static final PoolProfile PY = PoolProfile.of("ns", "python3", "img", Resources.parse("cpu=1"));
  private static final PoolProfile R = PoolProfile.of("ns", "ir", "img", Resources.parse("cpu=1"));
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static LauncherResponse launch(String id) {
    return new LauncherResponse(
        new ConnectionInfo("tcp", "127.0.0.1", 1, 2, 3, 4, 5, "key", "hmac-sha256", "python3"),
        id, OptionalLong.empty(), OptionalLong.empty(), OptionalInt.of(6));
  }

  private static WarmKernelRegistry warm(int n, PoolProfile p) {
    WarmKernelRegistry r = new WarmKernelRegistry();
    for (int i = 0; i < n; i++) {
      String id = p.kernelspec() + "-" + i;
      r.addStarting(id, p, T0.plusSeconds(i));
      r.launched(id, launch(id));
      r.markWarm(id);
    }
    return r;
  }

  @Test
  void takesTheOldestWarmKernelOfExactlyTheProfile() {
    WarmKernelRegistry r = warm(3, PY);
    r.addStarting("ir-0", R, T0);

    assertThat(r.take(R)).isEmpty();
    assertThat(r.take(PY)).map(PoolKernel::id).hasValue("python3-0");
    assertThat(r.take(PY)).map(PoolKernel::id).hasValue("python3-1");
    assertThat(r.count(MemberState.WARM)).isEqualTo(1);
  }

  @Test
  void aKernelBeingClaimedIsNotAdoptedAgainFromAStaleWarmView() {
    WarmKernelRegistry r = warm(1, PY);
    PoolKernel k = r.take(PY).orElseThrow();

    // The informer may still show the pod warm while the claim's own change is on its way.
    assertThat(r.adoptWarm(k)).isFalse();
    assertThat(r.get(k.id())).isEmpty();
    r.claimEnded(k.id());
    assertThat(r.adoptWarm(k)).isTrue();
  }

  @Test
  void aKernelIsWarmOnlyAfterItsLaunchReportAndNeverTwice() {
    WarmKernelRegistry r = new WarmKernelRegistry();
    r.addStarting("a", PY, T0);

    assertThat(r.markWarm("a")).isFalse();
    assertThat(r.launched("a", launch("a"))).isPresent();
    assertThat(r.launched("a", launch("a"))).isEmpty();
    assertThat(r.launched("unknown", launch("unknown"))).isEmpty();
    assertThat(r.markWarm("a")).isTrue();
    assertThat(r.markTerminating("a")).isPresent();
    assertThat(r.take(PY)).isEmpty();
    assertThat(r.markTerminating("a")).isEmpty();
  }

  @Test
  void concurrentTakesHandEachKernelOutOnce() throws Exception {
    WarmKernelRegistry r = warm(10, PY);
    Set<String> taken = ConcurrentHashMap.newKeySet();
    List<Optional<PoolKernel>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 100; i++) {
      pool.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Optional<PoolKernel> k = r.take(PY);
        results.add(k);
        k.ifPresent(x -> assertThat(taken.add(x.id())).isTrue());
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(results).hasSize(100);
    assertThat(results.stream().filter(Optional::isPresent)).hasSize(10);
    assertThat(taken).hasSize(10);
  }
}
