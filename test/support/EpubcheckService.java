/*
 * EPUBCheck for a test run: one Java virtual machine checks every EPUB the tests ask about, one at a
 * time, with the same checker the `epubcheck` command runs (EpubChecker, the class its main method
 * calls) and the same report text. A JVM of its own per EPUB spends most of its time starting and
 * compiling EPUBCheck's schemas; here that is done once per run.
 *
 * Run with the EPUBCheck jar on the class path: `java -cp epubcheck.jar EpubcheckService.java`. It
 * prints `port N` once it listens on 127.0.0.1:N; each connection sends an EPUB's path and a newline,
 * and gets back what `epubcheck FILE` would print (its standard output, then its standard error),
 * then the connection closes. It ends when its standard input closes (the test run is over or gone).
 */
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public class EpubcheckService {
  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Thread parentGone = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (IOException ignored) {
      }
      System.exit(0);
    });
    parentGone.setDaemon(true);
    parentGone.start();
    try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
      out.println("port " + server.getLocalPort());
      out.flush();
      while (true) {
        try (Socket connection = server.accept()) {
          String file = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8)).readLine();
          // The checker prints to System.out and System.err: both are caught for this EPUB alone.
          ByteArrayOutputStream stdout = new ByteArrayOutputStream();
          ByteArrayOutputStream stderr = new ByteArrayOutputStream();
          System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
          System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
          try {
            new EpubChecker().run(new String[] { file });
          } catch (Throwable failure) {
            failure.printStackTrace(System.err);
          } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
          }
          OutputStream reply = connection.getOutputStream();
          stdout.writeTo(reply);
          stderr.writeTo(reply);
          reply.flush();
        } catch (IOException failure) {
          // A test that gave up on its connection: the next one is served all the same.
          failure.printStackTrace(err);
        }
      }
    }
  }
}
