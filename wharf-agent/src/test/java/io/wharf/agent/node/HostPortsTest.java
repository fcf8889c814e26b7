package io.wharf.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.agent.driver.PortBinding;
import io.wharf.model.cluster.DynamicPorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPortsTest {
    @TempDir Path dir;

    @Test
    void listeningAndBoundSocketsOfTheDynamicRangeOnTheNodesAddressOrTheWildcardCount() throws IOException {
        Files.writeString(dir.resolve("tcp"), """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1
                   1: 00000000:4E21 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2
                   2: 0200007F:4E22 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3
                   3: 0100007F:4E23 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4
                   4: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5
                   5: 0100007F:4E24 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 6
                """);
        Files.writeString(dir.resolve("tcp6"), """
                  sl  local_address                         remote_address                        st
                   0: 00000000000000000000000000000000:4E25 00000000000000000000000000000000:0000 0A
                   1: 0000000000000000FFFF00000100007F:4E26 00000000000000000000000000000000:0000 0A
                """);
        Files.writeString(dir.resolve("udp"), """
                  sl  local_address rem_address   st
                   0: 0100007F:4E27 00000000:0000 07
                """);
        var ports = new HostPorts(dir, "127.0.0.1", () -> Set.of(20006));

        // 20002 is another loopback address's, 20003 a connection, 8080 outside the range, 20006 an instance's own.
        assertThat(ports.inUse()).containsExactly(20000, 20001, 20004, 20005, 20007);
    }

    @Test
    void aPortAStartFoundTakenIsReportedUntilItIsFreeAgain() throws IOException {
        var ports = new HostPorts(dir, "127.0.0.1", Set::of); // empty tables: only what starts found
        AtomicInteger published = new AtomicInteger();
        ports.publishWith(published::incrementAndGet);
        var socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();

        ports.taken(List.of(new PortBinding("dns", port, "127.0.0.1", port, true)));

        assertThat(published).hasValue(1);
        assertThat(ports.inUse()).containsExactly(port);
        socket.close();
        assertThat(ports.inUse()).isEmpty();
    }

    @Test
    void theKernelsTablesShowARealListeningSocket() throws IOException {
        for (int p = DynamicPorts.FIRST; p <= DynamicPorts.LAST; p++) {
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            } catch (IOException taken) {
                continue;
            }
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                assertThat(new HostPorts("127.0.0.1", Set::of).inUse()).contains(p);
                return;
            }
        }
    }
}
