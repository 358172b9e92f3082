-- Daily FX rates per currency pair; the latest delivery of a pair's day wins (precedence in config).
SELECT from_currency, to_currency, date, open, high, low, close, ingested_at
FROM fx_rates
