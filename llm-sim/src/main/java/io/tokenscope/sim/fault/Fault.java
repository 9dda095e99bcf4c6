package io.tokenscope.sim.fault;

import java.util.Locale;

/**
 * One misbehaviour to inflict on one request. Written as {@code kind[@token][:millis]}: e.g.
 * {@code http_503}, {@code reset@5} (close the connection where the 5th token would go, so 4
 * arrive), {@code stall@3:2000} (hold the 3rd token and everything after it for 2 s),
 * {@code malformed@2}, {@code error_event@4}, {@code no_done}, {@code large_chunk@1},
 * {@code drip@3:500} (from the 3rd token on, ignore max_tokens and send one token every 500 ms
 * until the client goes away): @k is the token whose chunk the fault replaces or delays.
 * Without @token a mid-stream fault strikes at the first token.
 */
public record Fault(Kind kind, int atToken, long millis) {
    public enum Kind {
        HTTP_400(400), HTTP_422(422), HTTP_424(424), HTTP_429(429), HTTP_500(500), HTTP_503(503),
        ERROR_EVENT(0), RESET(0), STALL(0), MALFORMED(0), NO_DONE(0), LARGE_CHUNK(0), DRIP(0);

        final int status;

        Kind(int status) {
            this.status = status;
        }

        public boolean beforeStream() {
            return status != 0;
        }

        public int status() {
            return status;
        }
    }

    public static Fault parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        long millis = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            millis = number(spec, s.substring(colon + 1));
            s = s.substring(0, colon);
        }
        int at = 1;
        int sign = s.indexOf('@');
        if (sign >= 0) {
            long token = number(spec, s.substring(sign + 1));
            // Tokens count from 1; @0 would never strike, and a cast would wrap a huge @k.
            if (token < 1 || token > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("fault '" + spec + "': @" + token + " must be a token number from 1 to "
                        + Integer.MAX_VALUE);
            }
            at = (int) token;
            s = s.substring(0, sign);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + s + "' in '" + spec + "'; known: http_400, http_422, "
                    + "http_424, http_429, http_500, http_503, error_event, reset, stall, malformed, no_done, large_chunk, drip");
        }
        if (kind == Kind.STALL && millis <= 0) {
            millis = 5_000;
        }
        if (kind == Kind.DRIP && millis <= 0) {
            millis = 1_000;
        }
        return new Fault(kind, at, millis);
    }

    private static long number(String spec, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault '" + spec + "': '" + v + "' is not a whole number >= 0");
        }
    }
}
