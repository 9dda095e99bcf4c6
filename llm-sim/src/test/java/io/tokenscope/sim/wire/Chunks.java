package io.tokenscope.sim.wire;

/** A format's streaming events as Strings, for tests to compare and parse. */
final class Chunks {
    private Chunks() {}

    static String role(ChunkFormat f) {
        return role(f, new Usage(12, 0, 0));
    }

    static String role(ChunkFormat f, Usage usage) {
        StringBuilder out = new StringBuilder();
        f.roleChunk(out, usage);
        return out.toString();
    }

    static String text(ChunkFormat f, String text, String finishReason, Usage usage) {
        StringBuilder out = new StringBuilder();
        f.textChunk(out, text, finishReason, usage);
        return out.toString();
    }

    static String finish(ChunkFormat f, String finishReason, Usage usage) {
        StringBuilder out = new StringBuilder();
        f.finishChunk(out, finishReason, usage);
        return out.toString();
    }

    static String usage(ChunkFormat f, Usage usage) {
        StringBuilder out = new StringBuilder();
        f.usageChunk(out, usage);
        return out.toString();
    }
}
