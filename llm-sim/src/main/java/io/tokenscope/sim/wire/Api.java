package io.tokenscope.sim.wire;

/** The two OpenAI streaming APIs, which differ in object names and where the text goes. */
public enum Api {
    CHAT("chatcmpl-", "chat.completion.chunk", "chat.completion"),
    COMPLETIONS("cmpl-", "text_completion", "text_completion");

    final String idPrefix;
    final String chunkObject;
    final String fullObject;

    Api(String idPrefix, String chunkObject, String fullObject) {
        this.idPrefix = idPrefix;
        this.chunkObject = chunkObject;
        this.fullObject = fullObject;
    }

    public String idPrefix() {
        return idPrefix;
    }
}
