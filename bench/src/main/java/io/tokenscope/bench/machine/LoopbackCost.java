package io.tokenscope.bench.machine;

import io.tokenscope.cli.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * What one streamed chunk costs this machine's kernel before any Tokenscope code runs: the CPU
 * of one small write to a loopback TCP socket and of the read that takes it, and the round trip
 * of a one-byte ping-pong (two wake-ups). With the simulator on the same machine every chunk is
 * one write and at least one read, so these set a ceiling on the end-to-end chunk rate that no
 * producer change can lift; virtualised guests differ from bare metal mostly here.
 */
public final class LoopbackCost {
    private LoopbackCost() {}

    public record Options(int messages, int bytes) {
        static final String USAGE = """
                bench loopback: this machine's kernel cost per streamed chunk (loopback TCP)
                  --messages N   writes in the one-way test, round trips in the ping-pong (default 200000)
                  --bytes N      size of each write in the one-way test, about one SSE chunk (default 200)
                """;

        public static Options parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("--messages", "--bytes"));
            Options o = new Options(f.whole("--messages", 200_000), f.whole("--bytes", 200));
            if (o.messages < 1000) throw new IllegalArgumentException("--messages must be >= 1000");
            if (o.bytes < 1) throw new IllegalArgumentException("--bytes must be >= 1");
            return o;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void run(Options o) throws Exception {
        oneWay(o);
        pingPong(o);
    }

    private static void oneWay(Options o) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket writer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket reader = server.accept()) {
            writer.setTcpNoDelay(true); // as an SSE server flushes each chunk
            long[] readerCpuNs = new long[1], reads = new long[1];
            Thread drain = new Thread(() -> {
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                byte[] buf = new byte[1 << 16];
                try (InputStream in = reader.getInputStream()) {
                    while (in.read(buf) > 0) reads[0]++;
                } catch (IOException e) {
                    // the writer closed: done
                }
                readerCpuNs[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
            }, "loopback-reader");
            drain.start();
            byte[] chunk = new byte[o.bytes()];
            OutputStream out = writer.getOutputStream();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < o.messages(); i++) out.write(chunk);
            double writeUs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / o.messages();
            writer.shutdownOutput();
            drain.join();
            double readUs = readerCpuNs[0] / 1e3 / reads[0];
            double perChunkUs = writeUs + readUs * reads[0] / o.messages();
            System.out.printf(Locale.ROOT, "one-way: %,d writes of %d bytes: %.2f µs CPU per write; %,d reads took them, "
                    + "%.2f µs CPU per read; %.2f µs per chunk in all, so %,.0f chunks/s per core of kernel time alone%n",
                    o.messages(), o.bytes(), writeUs, reads[0], readUs, perChunkUs, 1e6 / perChunkUs);
        }
    }

    private static void pingPong(Options o) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket b = server.accept()) {
            a.setTcpNoDelay(true);
            b.setTcpNoDelay(true);
            Thread echo = new Thread(() -> {
                try (InputStream in = b.getInputStream(); OutputStream out = b.getOutputStream()) {
                    int c;
                    while ((c = in.read()) >= 0) out.write(c);
                } catch (IOException e) {
                    // the other side closed: done
                }
            }, "loopback-echo");
            echo.start();
            InputStream in = a.getInputStream();
            OutputStream out = a.getOutputStream();
            long[] rtt = new long[o.messages()];
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                out.write(1);
                if (in.read() < 0) throw new IOException("echo closed early");
                rtt[i] = System.nanoTime() - t0;
            }
            a.shutdownOutput();
            echo.join();
            Arrays.sort(rtt);
            System.out.printf(Locale.ROOT, "ping-pong: %,d one-byte round trips between two threads: p50 %.1f µs, "
                    + "p99 %.1f µs, max %.1f µs%n", rtt.length, rtt[rtt.length / 2] / 1e3,
                    rtt[(int) (rtt.length * 0.99)] / 1e3, rtt[rtt.length - 1] / 1e3);
        }
    }
}
