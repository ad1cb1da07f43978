package org.smartcity.core.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 connections that read two request lines Jetty refuses before any route could say which
 * part is wrong, so that the service can answer as it always has:
 *
 * <ul>
 *   <li>spaces inside the request target ({@code GET /items?metric=PM 2.5 HTTP/1.1}, what a
 *       hand-typed URL gives): each becomes {@code +}, which the query decoding reads as a space,
 *       so the answer is a 400 naming the parameter whose value is wrong ({@code metric: unknown
 *       metric 'PM 2.5'}) rather than Jetty's anonymous one;
 *   <li>the method is remembered ({@link #methodOf}), so that a {@code CONNECT} aimed at a path,
 *       which Jetty refuses as a bad authority, is answered 405 like every other method.
 * </ul>
 *
 * <p>Only a request line that arrived whole in one read is rewritten (a client writes it at once);
 * one split across reads is parsed as Jetty always does.
 */
final class TolerantHttpConnectionFactory extends HttpConnectionFactory {
    private static final byte[] HTTP_VERSION = "HTTP/".getBytes(StandardCharsets.US_ASCII);

    TolerantHttpConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    /** The method of the request line last read on {@code connection}, or null. */
    static String methodOf(Object connection) {
        return connection instanceof TolerantConnection c ? c.method : null;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        TolerantConnection connection =
                new TolerantConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
        return configure(connection, connector, endPoint);
    }

    private static final class TolerantConnection extends HttpConnection {
        volatile String method;

        TolerantConnection(HttpConfiguration config, Connector connector, EndPoint endPoint) {
            super(config, connector, endPoint);
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser standard = super.newHttpParser(compliance);
            HttpParser parser =
                    new HttpParser(
                            (HttpParser.RequestHandler) standard.getHandler(),
                            getHttpConfiguration().getRequestHeaderSize(),
                            compliance) {
                        @Override
                        public boolean parseNext(ByteBuffer buffer) {
                            if (isStart()) {
                                readRequestLine(buffer);
                            }
                            return super.parseNext(buffer);
                        }
                    };
            parser.setHeaderCacheSize(standard.getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(standard.isHeaderCacheCaseSensitive());
            return parser;
        }

        /** Remembers the method and turns spaces inside the target into {@code +}, in place. */
        private void readRequestLine(ByteBuffer b) {
            int start = b.position();
            while (start < b.limit() && (b.get(start) == '\r' || b.get(start) == '\n')) {
                start++;
            }
            int end = start;
            while (end < b.limit() && b.get(end) != '\n') {
                end++;
            }
            if (end == b.limit()) {
                return; // not all here
            }
            if (end > start && b.get(end - 1) == '\r') {
                end--;
            }
            int first = indexOf(b, (byte) ' ', start, end);
            if (first < 0) {
                return;
            }
            byte[] m = new byte[first - start];
            b.get(start, m);
            method = new String(m, StandardCharsets.US_ASCII);
            int last = end - 1;
            while (last > first && b.get(last) != ' ') {
                last--;
            }
            if (last <= first || !startsWith(b, last + 1, end, HTTP_VERSION) || b.isReadOnly()) {
                return;
            }
            for (int i = first + 1; i < last; i++) {
                if (b.get(i) == ' ') {
                    b.put(i, (byte) '+');
                }
            }
        }

        private static int indexOf(ByteBuffer b, byte value, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b.get(i) == value) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean startsWith(ByteBuffer b, int from, int to, byte[] prefix) {
            if (to - from < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b.get(from + i) != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
