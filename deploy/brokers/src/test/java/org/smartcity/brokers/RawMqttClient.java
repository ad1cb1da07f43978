package org.smartcity.brokers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT 5 client on a socket, for what a library client refuses to do: send a packet larger
 * than the broker's maximum, or keep hundreds of QoS 1 publishes in flight without waiting.
 */
final class RawMqttClient implements AutoCloseable {

    static final int PUBACK = 4;
    static final int DISCONNECT = 14;

    /** A packet read back: its type (high nibble of the first byte) and body. */
    record Packet(int type, byte[] body) {}

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends CONNECT (clean start, no properties) and returns the CONNACK reason code. */
    int connect(String clientId, String user, String password) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5);
        body.write(0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0));
        body.write(new byte[] {0, 60, 0}); // keep alive 60 s, no properties
        string(body, clientId);
        if (user != null) {
            string(body, user);
        }
        if (password != null) {
            string(body, password);
        }
        send(0x10, body.toByteArray());
        Packet connack = read();
        if (connack == null || connack.type != 2) {
            throw new IOException("expected CONNACK, got " + connack);
        }
        return connack.body[1] & 0xff;
    }

    /** Sends a QoS 1 PUBLISH with no properties, without waiting for its PUBACK. */
    void publishQos1(String topic, int packetId, byte[] payload) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        string(head, topic);
        head.write(packetId >>> 8);
        head.write(packetId & 0xff);
        head.write(0); // no properties
        byte[] h = head.toByteArray();
        out.write(0x32);
        remainingLength(out, h.length + payload.length);
        out.write(h);
        out.write(payload);
        out.flush();
    }

    /**
     * Sends only the start of a QoS 1 PUBLISH that announces {@code announced} payload bytes: a
     * broker that buffered before checking would wait for the rest.
     */
    void announcePublish(String topic, long announced) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        string(head, topic);
        head.write(new byte[] {0, 1, 0});
        byte[] h = head.toByteArray();
        out.write(0x32);
        remainingLength(out, h.length + announced);
        out.write(h);
        out.flush();
    }

    /** The next packet, or null when the broker has closed the connection. */
    Packet read() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return null; // reset by the broker
        }
        if (first < 0) {
            return null;
        }
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("in a remaining length");
            }
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        return new Packet(first >>> 4, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void send(int header, byte[] body) throws IOException {
        out.write(header);
        remainingLength(out, body.length);
        out.write(body);
        out.flush();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
    }

    private static void remainingLength(OutputStream out, long length) throws IOException {
        do {
            int b = (int) (length & 0x7f);
            length >>>= 7;
            out.write(length > 0 ? b | 0x80 : b);
        } while (length > 0);
    }
}
