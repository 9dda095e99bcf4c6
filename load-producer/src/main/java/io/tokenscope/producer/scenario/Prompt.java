package io.tokenscope.producer.scenario;

/** One request to send: its prompt text and how many tokens to ask for. */
public record Prompt(String text, int maxTokens) {}
