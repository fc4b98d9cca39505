package dev.kernelpool.k8s.leader;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease with client-java's {@link LeaderElector}.
 * Only the leader changes the pool; every replica serves claims. A replica that loses the lease
 * (the API was unreachable past the renew deadline) stops leading at once and runs for it again.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /**
   * @param namespace where the Lease lives (the sidecar's own namespace)
   * @param identity this replica's name (its pod name)
   */
  public record Settings(String namespace, String leaseName, String identity, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {
    public Settings {
      if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException("leader election needs retryPeriod < renewDeadline < leaseDuration");
      }
    }
  }

  private final Settings settings;
  private final ApiClient client;
  private final Runnable onChange;
  private final Thread thread;
  private volatile LeaderElector elector;
  private volatile boolean leader;
  private volatile boolean closed;

  public Leadership(ApiClient client, Settings settings, Runnable onChange) {
    this.client = client;
    this.settings = settings;
    this.onChange = onChange;
    this.thread = new Thread(this::run, "leader-election");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (!closed) {
      LeaseLock lock = new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity(), client);
      LeaderElector e = new LeaderElector(new LeaderElectionConfig(
          lock, settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod()),
          t -> LOG.debug("leader election: {}", t.toString()));
      elector = e;
      try {
        e.run(this::started, this::stopped);
      } catch (RuntimeException ex) {
        LOG.warn("leader election failed: {}; running again", ex.toString());
      } finally {
        if (leader) {
          stopped();
        }
        e.close();
      }
      if (!closed) {
        try {
          Thread.sleep(settings.retryPeriod().toMillis());
        } catch (InterruptedException ex) {
          return;
        }
      }
    }
  }

  private void started() {
    leader = true;
    LOG.info("{} leads the pool (lease {}/{})", settings.identity(), settings.namespace(), settings.leaseName());
    onChange.run();
  }

  private void stopped() {
    if (leader) {
      leader = false;
      LOG.info("{} no longer leads the pool", settings.identity());
      onChange.run();
    }
  }

  public boolean isLeader() {
    return leader;
  }

  @Override
  public void close() {
    closed = true;
    LeaderElector e = elector;
    if (e != null) {
      e.close();
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    leader = false;
  }
}
