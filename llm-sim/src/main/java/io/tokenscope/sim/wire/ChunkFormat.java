package io.tokenscope.sim.wire;

/**
 * One server's streaming payloads for one response. Each streaming method appends whole SSE
 * events in vLLM's framing ({@code data: ...\n\n}) to {@code out}, or nothing where the server
 * sends none; {@link WireStyle#frame} rewrites the framing after. They append rather than
 * return a String because they run for every chunk, and each String was one more copy of it.
 */
public interface ChunkFormat {
    /** Chat: the event that announces the assistant role before the first token; usage has 0 completion tokens. */
    void roleChunk(StringBuilder out, Usage usage);

    /**
     * A chunk of generated text. finishReason is null except on the last; usage is the count so
     * far, which a server puts in the chunk only where it does (continuous usage, a final chunk).
     */
    void textChunk(StringBuilder out, CharSequence text, String finishReason, Usage usage);

    /** The closing chunk of servers that send finish_reason apart from the text. */
    void finishChunk(StringBuilder out, String finishReason, Usage usage);

    /** The usage chunk a client asked for with stream_options.include_usage. */
    void usageChunk(StringBuilder out, Usage usage);

    /** The non-streaming response body. */
    String fullResponse(String text, String finishReason, Usage usage);
}
