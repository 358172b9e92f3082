-- Top movers: the ten largest daily moves, up or down, on the latest trading day.
SELECT ticker, date, close, daily_return
FROM {{enriched}}.stock_metrics
WHERE date = (SELECT max(date) FROM {{enriched}}.stock_metrics)
  AND daily_return IS NOT NULL
ORDER BY abs(daily_return) DESC, ticker
LIMIT 10
