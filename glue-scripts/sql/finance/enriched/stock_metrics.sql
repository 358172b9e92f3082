-- Per ticker and trading day:
--   daily_return: close / previous trading day's close - 1 (null on a ticker's first day);
--   ma_5, ma_20: mean close over the last 5 and 20 trading days including the day, over fewer
--   days while the history is shorter.
-- A ticker has one row per date (the primary key of daily_prices), so ORDER BY date has no ties.
-- Arithmetic is in DOUBLE so Spark SQL and DuckDB give the same result type.
SELECT
  ticker,
  date,
  close,
  CAST(close AS DOUBLE) / CAST(LAG(close) OVER (PARTITION BY ticker ORDER BY date ASC NULLS LAST) AS DOUBLE) - 1 AS daily_return,
  AVG(CAST(close AS DOUBLE)) OVER (PARTITION BY ticker ORDER BY date ASC NULLS LAST ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS ma_5,
  AVG(CAST(close AS DOUBLE)) OVER (PARTITION BY ticker ORDER BY date ASC NULLS LAST ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS ma_20
FROM daily_prices
