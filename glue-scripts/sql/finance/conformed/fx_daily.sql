-- One row per currency pair and day; a pair's day delivered twice keeps the highest close.
SELECT from_currency, to_currency, date, open, high, low, close
FROM (
  SELECT
    from_currency, to_currency, date, open, high, low, close,
    ROW_NUMBER() OVER (PARTITION BY from_currency, to_currency, date ORDER BY close DESC) AS copy_number
  FROM fx_rates
) ranked
WHERE copy_number = 1
