-- Typed end-of-day prices. Which delivery of a ticker's day wins (the latest) is the table's
-- precedence in config/lobs/finance.yaml, applied by the job to every copy of a key it sees.
SELECT ticker, date, open, high, low, close, adj_close, volume, ingested_at
FROM stock_prices
