package io.tokenscope.aggregator.sink;

import org.apache.kafka.common.TopicPartition;

/**
 * One table's rows read but not yet stored, already in RowBinary, and the Kafka records they
 * came from. Rows are encoded as they are read, so a retried insert sends the same bytes again
 * and nothing read is held as objects.
 */
final class PendingRows<T> {
    final Tables.Table<T> table;
    final RowBinary rows;
    final Coverage from = new Coverage();
    private int count;

    PendingRows(Tables.Table<T> table) {
        this.table = table;
        this.rows = new RowBinary(table.columns());
    }

    void add(T row, TopicPartition partition, long offset) {
        table.writer().write(rows, row);
        added(partition, offset);
    }

    /** Counts a row the caller wrote into {@link #rows} itself. */
    void added(TopicPartition partition, long offset) {
        count++;
        from.add(partition, offset);
    }

    int count() {
        return count;
    }

    void clear() {
        rows.clear();
        from.clear();
        count = 0;
    }
}
