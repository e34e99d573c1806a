package org.ckanext.ldeco.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs a standalone Solr node on 127.0.0.1 under the /solr context until the JVM is asked to
 * stop (SIGTERM/SIGINT), then shuts Jetty and every core down cleanly.
 *
 * <p>Usage: {@code SolrLauncher <port> <solr-home>}
 */
public final class SolrLauncher {

  private SolrLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SolrLauncher <port> <solr-home>");
      System.exit(2);
    }
    final int port = Integer.parseInt(args[0]);
    final Path home = Path.of(args[1]).toAbsolutePath().normalize();
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("solr home has no solr.xml: " + home);
      System.exit(2);
    }

    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            // Our own hook stops Solr; Jetty's would race it.
            .stopAtShutdown(false)
            // Fail at once when the port is busy instead of retrying for a minute.
            .withPortRetryTime(0)
            .build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), config);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (runner.isRunning()) {
                      runner.stop();
                    }
                  } catch (Exception e) {
                    e.printStackTrace();
                  } finally {
                    stopped.countDown();
                  }
                },
                "solr-launcher-shutdown"));

    try {
      runner.start();
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("SolrLauncher: listening on " + runner.getBaseUrl() + " home=" + home);
    System.out.flush();
    stopped.await();
  }
}
