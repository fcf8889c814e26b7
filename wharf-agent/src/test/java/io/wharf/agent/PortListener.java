package io.wharf.agent;

import java.net.InetAddress;
import java.net.ServerSocket;

/** A task the port tests run on the process driver: listens on 127.0.0.1:$PORT, says so, accepts forever. */
public final class PortListener {
    private PortListener() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv("PORT"));
        try (var socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on " + socket.getLocalPort());
            System.out.flush();
            while (true) socket.accept().close();
        }
    }
}
