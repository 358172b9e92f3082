-- EUR to GBP cross-rate history, derived through USD.
SELECT date, from_currency, to_currency, via_currency, cross_rate
FROM {{enriched}}.fx_cross
WHERE from_currency = 'EUR' AND to_currency = 'GBP'
ORDER BY date
