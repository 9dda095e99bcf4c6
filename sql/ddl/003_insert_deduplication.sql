-- Insert deduplication for the sink's retried and replayed batches. ClickHouse remembers the
-- tokens of the last 1000 inserts into each table (non-replicated MergeTree tables keep none
-- unless told to), and drops an insert whose insert_deduplication_token it has seen: the sink's
-- token names the Kafka topics (with their ids), partitions and offsets a batch came from. A replay that batches records
-- differently gets other tokens; the tables' ReplacingMergeTree keys collapse those rows on
-- merge, and FINAL collapses them at query time.

ALTER TABLE {db}.token_events MODIFY SETTING non_replicated_deduplication_window = 1000;

ALTER TABLE {db}.requests MODIFY SETTING non_replicated_deduplication_window = 1000;

ALTER TABLE {db}.window_aggregates MODIFY SETTING non_replicated_deduplication_window = 1000;
