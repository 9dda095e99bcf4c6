package io.tokenscope.sim.wire;

/**
 * One server's streaming payloads for one response. Each method returns whole SSE events in
 * vLLM's framing ({@code data: ...\n\n}); {@link WireStyle#frame} rewrites the framing after.
 */
public interface ChunkFormat {
    /** Chat: the event that announces the assistant role before the first token, or "" if the server sends none. */
    String roleChunk();

    /**
     * A chunk of generated text. finishReason is null except on the last; usage is the count so
     * far, which a server puts in the chunk only where it does (continuous usage, a final chunk).
     */
    String textChunk(String text, String finishReason, Usage usage);

    /** The closing chunk of servers that send finish_reason apart from the text. */
    String finishChunk(String finishReason, Usage usage);

    /** The usage chunk a client asked for with stream_options.include_usage. */
    String usageChunk(Usage usage);

    /** The non-streaming response body. */
    String fullResponse(String text, String finishReason, Usage usage);
}
