-- Cross rates derived from two pairs quoted against the same base currency on the same day:
-- with USD->GBP and USD->EUR, EUR->GBP = (USD->GBP) / (USD->EUR).
SELECT
  base.date,
  base.to_currency AS from_currency,
  quote.to_currency AS to_currency,
  base.from_currency AS via_currency,
  CAST(quote.close AS DOUBLE) / CAST(base.close AS DOUBLE) AS cross_rate
FROM fx_daily base
JOIN fx_daily quote
  ON quote.from_currency = base.from_currency
 AND quote.date = base.date
 AND quote.to_currency <> base.to_currency
