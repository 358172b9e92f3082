-- One row per ticker and trading day. A day delivered more than once keeps one row, chosen
-- deterministically (largest volume, then highest close) so every run agrees.
SELECT ticker, date, open, high, low, close, adj_close, volume
FROM (
  SELECT
    ticker, date, open, high, low, close, adj_close, volume,
    ROW_NUMBER() OVER (PARTITION BY ticker, date ORDER BY volume DESC NULLS LAST, close DESC) AS copy_number
  FROM stock_prices
) ranked
WHERE copy_number = 1
