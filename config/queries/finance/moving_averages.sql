-- Tickers trading above their 20-day moving average on the latest trading day.
SELECT ticker, date, close, ma_5, ma_20
FROM {{enriched}}.stock_metrics
WHERE date = (SELECT max(date) FROM {{enriched}}.stock_metrics)
  AND CAST(close AS DOUBLE) > ma_20
ORDER BY ticker
