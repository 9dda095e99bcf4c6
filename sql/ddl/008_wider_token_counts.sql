-- A chunk may carry more tokens than 16 bits hold (a server with a long stream interval, or
-- one that sends a whole answer at once). Databases made before tokens_in_chunk was UInt32
-- are widened here; on one made since, this changes nothing.

ALTER TABLE {db}.token_events MODIFY COLUMN tokens_in_chunk UInt32;
