package dev.kernelpool.k8s.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.k8s.pods.PodProof;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingCreatesTest {
  private static final PodProof PROOF = new PodProof("key".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private static V1Pod pod(String namespace, String name) {
    return new V1Pod().metadata(new V1ObjectMeta().namespace(namespace).name(name).uid(namespace + "-" + name));
  }

  private static V1Pod proven(V1Pod pod) {
    pod.getMetadata().putAnnotationsItem(PodProof.ANNOTATION, PROOF.of(pod.getMetadata().getUid()));
    return pod;
  }

  @Test
  void aCreatedPodCountsUntilTheInformerShowsItProven() {
    PendingCreates pending = new PendingCreates(Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC), PROOF);
    pending.created(pod("team-a", "kp-1"));
    pending.created(pod("team-b", "kp-2"));

    assertThat(pending.pods("team-a")).extracting(p -> p.getMetadata().getName()).containsExactly("kp-1");
    assertThat(pending.pods(null)).hasSize(2);

    pending.podChanged(Optional.empty(), Optional.of(pod("team-a", "kp-1")));
    assertThat(pending.pods("team-a")).as("seen, but not yet proven: still expected").hasSize(1);
    pending.podChanged(Optional.of(pod("team-a", "kp-1")), Optional.of(proven(pod("team-a", "kp-1"))));

    assertThat(pending.pods("team-a")).isEmpty();
    assertThat(pending.pods(null)).hasSize(1);
  }

  @Test
  void anExpectationLapsesAfterItsTtl() {
    Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
    Clock[] clock = {Clock.fixed(t0, ZoneOffset.UTC)};
    PendingCreates pending = new PendingCreates(new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock[0].instant();
      }
    }, PROOF);
    pending.created(pod("team-a", "kp-1"));
    clock[0] = Clock.fixed(t0.plus(PendingCreates.TTL).plusSeconds(1), ZoneOffset.UTC);

    assertThat(pending.pods("team-a")).isEmpty();
  }
}
